using System.Diagnostics;
using System.Net.Sockets;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Holes.Generators.Tests;

/// <summary>
/// The effects step's shared server (what builds that use the compiler server hand their runs to): it writes the same
/// table a run of its own writes, a build never waits for it to start, a server that died or a stray client changes
/// nothing, and it goes away when asked or when idle. Each test runs a server under a name of its own.
/// </summary>
public sealed class SharedServerTests : IDisposable
{
    private const string Source = """
        using System.Diagnostics;
        public sealed class Shell { public void Run(string command) => Process.Start(command); }
        public static class Maths { public static int Twice(int x) => 2 * x; }
        public static class HoleUser { public static Task<int> AskAsync() => Holes.Agents.agent<int>("count"); }
        """;

    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    private readonly string _directory = Directory.CreateTempSubdirectory("holes-shared-").FullName;
    private readonly string _name = "test-" + Guid.NewGuid().ToString("N")[..12];

    public void Dispose()
    {
        Tool("--shutdown", "--shared-name", _name);
        Directory.Delete(_directory, recursive: true);
        File.Delete(SocketPath());
        File.Delete(Path.ChangeExtension(SocketPath(), ".lock"));
    }

    [Fact]
    public void The_first_build_runs_the_step_itself_and_starts_a_server_that_the_next_build_hands_its_run_to()
    {
        string expected = RewrittenLocally();

        string first = EffectImages.Build(_directory, Source);
        var started = Tool(Arguments(first, "--shared"));
        Assert.Equal(0, started.ExitCode);
        Assert.Contains("Host.dll: Written", started.Output);
        Assert.DoesNotContain("shared server", started.Output);
        Assert.Equal(expected, Hash(first));
        WaitFor(() => File.Exists(SocketPath()), "the server to listen");

        string second = EffectImages.Build(_directory, Source);
        var served = Tool(Arguments(second, "--shared"));
        Assert.Equal(0, served.ExitCode);
        Assert.Contains("Host.dll: Written (shared server)", served.Output);
        Assert.Equal(expected, Hash(second));
    }

    [Fact]
    public void A_failed_run_on_the_server_reports_its_error_and_the_server_serves_the_next_one()
    {
        StartServer();
        string broken = Path.Combine(_directory, "Broken.dll");
        File.WriteAllText(broken, "not an assembly");
        var failed = Tool(Arguments(broken, "--shared"));
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("Holes.Effects: error: the Holes effect table could not be written into", failed.Error);

        string assembly = EffectImages.Build(_directory, Source);
        var served = Tool(Arguments(assembly, "--shared"));
        Assert.Contains("Written (shared server)", served.Output);
    }

    [Fact]
    public void A_client_that_sends_garbage_or_hangs_up_does_not_stop_the_server()
    {
        StartServer();
        using (var socket = Connect())
        {
            socket.Send([0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]);
        }

        using (var socket = Connect())
        {
            socket.Send([0x07]);
        }

        // A string length of more than five 7-bit groups, and bytes that are not UTF-8.
        using (var socket = Connect())
        {
            socket.Send([0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        }

        using (var socket = Connect())
        {
            socket.Send([0x01, 0x02, 0xC3, 0x28]);
        }

        string assembly = EffectImages.Build(_directory, Source);
        Assert.Contains("Written (shared server)", Tool(Arguments(assembly, "--shared")).Output);
    }

    [Fact]
    public void A_socket_left_by_a_server_that_was_killed_makes_the_build_run_the_step_itself_and_start_a_new_server()
    {
        var server = StartServer();
        server.Kill();
        server.WaitForExit();
        Assert.True(File.Exists(SocketPath()));

        string expected = RewrittenLocally();
        string assembly = EffectImages.Build(_directory, Source);
        var run = Tool(Arguments(assembly, "--shared"));
        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("shared server", run.Output);
        Assert.Equal(expected, Hash(assembly));

        WaitFor(() => Tool(Arguments(EffectImages.Build(_directory, Source), "--shared")).Output.Contains("(shared server)", StringComparison.Ordinal), "a new server to serve");
    }

    [Fact]
    public void A_second_server_for_the_same_tool_leaves_at_once_and_the_first_keeps_serving()
    {
        StartServer();
        var second = Tool("--serve", "--shared-name", _name);
        Assert.Equal(0, second.ExitCode);

        string assembly = EffectImages.Build(_directory, Source);
        Assert.Contains("Written (shared server)", Tool(Arguments(assembly, "--shared")).Output);
    }

    [Fact]
    public void The_server_exits_when_asked_and_when_idle()
    {
        var asked = StartServer();
        Assert.Contains("the shared server stopped", Tool("--shutdown", "--shared-name", _name).Output);
        Assert.True(asked.WaitForExit(s_wait), "the server did not exit when asked");
        Assert.False(File.Exists(SocketPath()));

        var idle = StartServer("--idle", "1");
        Assert.True(idle.WaitForExit(s_wait), "the server did not exit when idle");
        Assert.False(File.Exists(SocketPath()));
    }

    [Fact]
    public void The_servers_directory_is_the_users_alone()
    {
        StartServer();
        string directory = Path.GetDirectoryName(SocketPath())!;
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        }
    }

    private string RewrittenLocally()
    {
        string local = Path.Combine(_directory, "local");
        Directory.CreateDirectory(local);
        string assembly = EffectImages.Build(local, Source);
        var run = Tool(Arguments(assembly));
        Assert.Equal(0, run.ExitCode);
        return Hash(assembly);
    }

    /// <summary>The effect table a rewritten assembly carries: its assembly attributes, by type and value (each compile of the source has a new MVID, so the images differ).</summary>
    private static string Hash(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        MetadataReader metadata = pe.GetMetadataReader();
        var attributes = new List<string>();
        foreach (CustomAttributeHandle handle in metadata.GetAssemblyDefinition().GetCustomAttributes())
        {
            CustomAttribute attribute = metadata.GetCustomAttribute(handle);
            var constructor = (MemberReferenceHandle)attribute.Constructor;
            var type = (TypeReferenceHandle)metadata.GetMemberReference(constructor).Parent;
            attributes.Add(metadata.GetString(metadata.GetTypeReference(type).Name) + " " + Convert.ToHexString(metadata.GetBlobBytes(attribute.Value)));
        }

        Assert.Contains(attributes, a => a.StartsWith("HoleEffectAttribute ", StringComparison.Ordinal));
        attributes.Sort(StringComparer.Ordinal);
        return string.Join("\n", attributes);
    }

    private string[] Arguments(string assembly, params string[] extra)
    {
        string rsp = Path.Combine(_directory, "references.rsp");
        File.WriteAllLines(rsp, EffectImages.ReferencePaths());
        return [assembly, "@" + rsp, "--shared-name", _name, .. extra];
    }

    private string SocketPath() => Path.Combine(Path.GetTempPath(), "holes-effects-" + Environment.UserName, _name + ".sock");

    private Socket Connect()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(SocketPath()));
        return socket;
    }

    private Process StartServer(params string[] extra)
    {
        var start = Start(["--serve", "--shared-name", _name, .. extra]);
        var server = Process.Start(start)!;
        WaitFor(() => File.Exists(SocketPath()) || server.HasExited, "the server to listen");
        if (server.HasExited)
        {
            Assert.Fail("the server exited at once: " + server.StandardError.ReadToEnd());
        }
        return server;
    }

    private static (int ExitCode, string Output, string Error) Tool(params string[] arguments)
    {
        using var process = Process.Start(Start(arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(s_wait), "the step did not finish");
        return (process.ExitCode, output.Result, error.Result);
    }

    private static ProcessStartInfo Start(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Holes.Effects.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < s_wait, "timed out waiting for " + what);
            Thread.Sleep(50);
        }
    }
}
