using System.Net;
using System.Net.Sockets;
using Holes;
using Holes.Execution;
using Holes.Execution.Isolated;
using static Holes.Isolation.Tests.Sessions;

namespace Holes.Isolation.Tests;

/// <summary>
/// The sandbox itself, attacked with raw code that never went through the verifier (an internal test hook): the
/// verifier would reject all of this in the normal flow, so these tests show what holds when it does not.
/// </summary>
public sealed class SandboxTests
{
    private static bool SandboxWorksHere => WorkerLaunch.Bubblewrap is not null;

    [Fact]
    public async Task The_protections_report_is_honest()
    {
        var log = new List<string>();
        await using var session = Process(log);
        var protections = session.Protections;
        Assert.True(protections.HasFlag(HoleProtections.Killable));
        Assert.Equal(SandboxWorksHere, protections.HasFlag(HoleProtections.Sandbox));
        Assert.Equal(SandboxWorksHere, protections.HasFlag(HoleProtections.NoNetwork));
        Assert.Equal(SandboxWorksHere, protections.HasFlag(HoleProtections.ReadOnlyFileSystem));
        Assert.Equal(SandboxWorksHere, protections.HasFlag(HoleProtections.PidNamespace));
        Assert.Single(log, l => l.Contains("isolated worker", StringComparison.Ordinal) && l.Contains(protections.ToString(), StringComparison.Ordinal));

        await using var inProcess = new AgentSession(new Holes.Testing.ScriptedChatClient());
        Assert.Equal(HoleProtections.None, inProcess.Protections);
    }

    [Fact]
    public async Task Without_bubblewrap_the_worker_is_a_plain_child_process_and_claims_no_sandbox()
    {
        var log = new List<string>();
        await using var session = Process(log, o => o.SandboxDisabled = true);
        var protections = session.Protections;
        Assert.True(protections.HasFlag(HoleProtections.Killable));
        Assert.False(protections.HasFlag(HoleProtections.Sandbox));
        Assert.False(protections.HasFlag(HoleProtections.NoNetwork));
        Assert.False(protections.HasFlag(HoleProtections.ReadOnlyFileSystem));
        Assert.False(protections.HasFlag(HoleProtections.PidNamespace));
        Assert.Contains(log, l => l.Contains("plain child process", StringComparison.Ordinal));

        Assert.Equal(4, Accepted(await session.ExecuteAsync<int>("return 2 + 2;")));
        var pid = Accepted(await UncheckedFill.RunForTestsAsync<int>(session, "return Environment.ProcessId;", CancellationToken.None));
        Assert.NotEqual(Environment.ProcessId, pid);

        // Killable all the same: budgets hold without the sandbox.
        await using var limited = Process(configure: o => o.SandboxDisabled = true);
        Accepted(await limited.ExecuteAsync<int>("return 0;"));
        limited.Options.Timeout = TimeSpan.FromSeconds(1);
        Assert.Equal(HoleBudgetKind.WallTime, Budget(await limited.ExecuteAsync<int>("while (true) { }")).Kind);
    }

    [Fact]
    public async Task A_fill_cannot_reach_a_loopback_listener_from_inside_the_sandbox()
    {
        if (!SandboxWorksHere)
        {
            return;
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var session = Process();
        var outcome = Accepted(await UncheckedFill.RunForTestsAsync<string>(session, $$"""
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                var connect = client.ConnectAsync("127.0.0.1", {{port}});
                if (await Task.WhenAny(connect, Task.Delay(2000)) != connect) return "timed out";
                await connect;
                return "connected";
            }
            catch (Exception ex) { return "refused: " + ex.GetType().Name; }
            """, CancellationToken.None));
        Assert.StartsWith("refused", outcome, StringComparison.Ordinal);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task The_sandbox_hides_the_host_and_its_files()
    {
        if (!SandboxWorksHere)
        {
            return;
        }

        await using var session = Process();
        var appFile = Path.Combine(AppContext.BaseDirectory, "written-by-a-fill.txt");
        var probe = Accepted(await UncheckedFill.RunForTestsAsync<string>(session, $$"""
            string Try(Func<string> f) { try { return f(); } catch (Exception ex) { return ex.GetType().Name; } }
            var write = Try(() => { System.IO.File.WriteAllText(@"{{appFile}}", "x"); return "written"; });
            var home = Try(() => System.IO.Directory.Exists("/root") || System.IO.Directory.Exists("/home") ? "visible" : "hidden");
            var tmp = Try(() => { System.IO.File.WriteAllText("/tmp/scratch", "ok"); return System.IO.File.ReadAllText("/tmp/scratch"); });
            var env = Environment.GetEnvironmentVariables().Count;
            var processes = Try(() => System.IO.Directory.GetDirectories("/proc").Count(d => char.IsDigit(System.IO.Path.GetFileName(d)[0])).ToString());
            return $"{write}|{home}|{tmp}|{env}|{processes}";
            """, CancellationToken.None));
        var parts = probe.Split('|');
        Assert.NotEqual("written", parts[0]);
        Assert.False(File.Exists(appFile));
        Assert.Equal("hidden", parts[1]);
        Assert.Equal("ok", parts[2]);
        Assert.True(int.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture) < 15, "environment variables: " + parts[3]);
        Assert.True(int.Parse(parts[4], System.Globalization.CultureInfo.InvariantCulture) <= 3, "processes visible: " + parts[4]);
    }

    [Fact]
    public void A_missing_worker_is_reported_when_the_session_is_created()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-folder", "Holes.Worker.dll");
        var error = Assert.Throws<InvalidOperationException>(() => new AgentSession(
            new Holes.Testing.ScriptedChatClient(), new HoleOptions { Isolation = HoleIsolation.Process, WorkerPath = missing }));
        Assert.Contains("Holes.Worker.dll", error.Message, StringComparison.Ordinal);
        Assert.Contains("HoleIsolation.InProcess", error.Message, StringComparison.Ordinal);
    }
}
