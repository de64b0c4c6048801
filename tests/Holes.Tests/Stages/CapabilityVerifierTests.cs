using Holes.Capabilities;
using Holes.Testing;

namespace Holes.Tests.Stages;

/// <summary>Every denial has its own id and names the symbol; allowed code with the same shape passes.</summary>
public class CapabilityVerifierTests
{
    public static TheoryData<string, string, string> Denied => new()
    {
        { "return typeof(string).Name;", "HOLE1001", "System.Type" },
        { "return xs.GetType().Assembly.FullName ?? \"\";", "HOLE1001", "GetType" },
        { "return System.Reflection.Assembly.GetExecutingAssembly().FullName ?? \"\";", "HOLE1001", "Assembly" },
        { "return Activator.CreateInstance<List<int>>().Count.ToString();", "HOLE1001", "Activator" },
        { "dynamic d = xs; return (string)d.ToString();", "HOLE1002", "dynamic" },
        { "System.Linq.Expressions.Expression<Func<int, int>> e = x => x + 1; return e.Compile()(1).ToString();", "HOLE1005", "Expression" },
        { "return System.IO.File.ReadAllText(\"/etc/passwd\");", "HOLE1006", "File" },
        { "var tmp = System.IO.Path.GetTempPath(); return tmp;", "HOLE1006", "Path" },
        { "return global::System.IO.Directory.GetCurrentDirectory();", "HOLE1006", "Directory" },
        { "var c = new System.Net.Http.HttpClient(); return \"x\";", "HOLE1007", "HttpClient" },
        { "System.Diagnostics.Process.Start(\"sh\"); return \"x\";", "HOLE1008", "Process" },
        { "new System.Threading.Thread(() => { }).Start(); return \"x\";", "HOLE1009", "Thread" },
        { "await Task.Run(() => 1); return \"x\";", "HOLE1009", "Task.Run" },
        { "Parallel.For(0, 2, i => { }); return \"x\";", "HOLE1009", "Parallel" },
        { "return Environment.GetEnvironmentVariable(\"HOME\") ?? \"\";", "HOLE1010", "Environment" },
        { "GC.Collect(); return \"x\";", "HOLE1010", "GC" },
        { "return AppContext.BaseDirectory;", "HOLE1010", "AppContext" },
        { "Console.WriteLine(\"hi\"); return \"x\";", "HOLE1011", "Console" },
        { "Holes.Tests.Stages.Counter.Value = 5; return \"x\";", "HOLE1012", "Counter.Value" },
        { "Holes.Tests.Stages.Counter.Value++; return \"x\";", "HOLE1012", "Counter.Value" },
        { "System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture; return \"x\";", "HOLE1012", "CurrentCulture" },
        { "var sw = System.Diagnostics.Stopwatch.StartNew(); return \"x\";", "HOLE1013", "Stopwatch" },
        { "return AgentSession.Current?.Variables.Count.ToString() ?? \"\";", "HOLE1014", "AgentSession" },
        { "return System.Text.RegularExpressions.Regex.Replace(\"a\", \"a\", \"b\");", "HOLE1015", "Regex.Replace" },
        { "var r = new System.Text.RegularExpressions.Regex(\"a+\"); return \"x\";", "HOLE1015", "Regex" },
        { "return System.Runtime.InteropServices.Marshal.SizeOf<int>().ToString();", "HOLE1004", "Marshal" },

        // The same denial however the type is reached: declarations, patterns, catch clauses, signatures, type arguments, conversions.
        { "System.IO.FileInfo? unused = null; return \"x\";", "HOLE1006", "FileInfo" },
        { "object o = xs; return o is System.IO.FileInfo f ? f.Name : \"x\";", "HOLE1006", "FileInfo" },
        { "object o = xs; return o is System.IO.FileStream ? \"s\" : \"x\";", "HOLE1006", "FileStream" },
        { "object o = xs; return o switch { System.IO.FileStream { CanRead: true } => \"s\", _ => \"x\" };", "HOLE1006", "FileStream" },
        { "try { return \"x\"; } catch (System.IO.IOException) { return \"io\"; }", "HOLE1006", "IOException" },
        { "Func<System.IO.FileInfo, int> f = fi => 1; return \"x\";", "HOLE1006", "FileInfo" },
        { "var f = (System.IO.FileInfo fi) => 1; return \"x\";", "HOLE1006", "FileInfo" },
        { "int Size(System.IO.FileInfo fi) => 1; return \"x\";", "HOLE1006", "FileInfo" },
        { "System.IO.FileInfo? Find() => null; return \"x\";", "HOLE1006", "FileInfo" },
        { "string Name<T>(T item) where T : System.IO.FileSystemInfo => \"n\"; return \"x\";", "HOLE1006", "FileSystemInfo" },
        { "return Enumerable.Empty<System.IO.FileInfo>().Count().ToString();", "HOLE1006", "FileInfo" },
        { "var none = default(System.IO.FileStream); return \"x\";", "HOLE1006", "FileStream" },
        { "object? o = null; var s = (System.IO.FileStream?)o; return \"x\";", "HOLE1006", "FileStream" },
        { "Func<string, string> read = System.IO.File.ReadAllText; return read(\"/etc/passwd\");", "HOLE1006", "System.IO.File" },
        { "List<System.IO.FileStream> streams = []; return \"x\";", "HOLE1006", "FileStream" },
        { "var names = xs.Select(x => new System.IO.FileInfo(x.ToString()).Name); return string.Join(\",\", names);", "HOLE1006", "FileInfo" },
        { "foreach (var line in System.IO.File.ReadLines(\"/etc/passwd\")) { return line; } return \"x\";", "HOLE1006", "System.IO.File" },
        { "var q = from x in xs select new System.IO.FileInfo(\"a\"); return \"x\";", "HOLE1006", "FileInfo" },
    };

    [Theory]
    [MemberData(nameof(Denied))]
    public async Task Denied_code_is_rejected_before_it_runs_with_a_named_diagnostic(string code, string id, string named)
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        var result = await session.ExecuteAsync<string>(code, new HoleBindings().Add("xs", new List<int> { 1, 2 }));

        Assert.Equal(HoleStatus.Rejected, result.Status);
        Assert.Contains(result.Diagnostics, d => d.Id == id && d.Message.Contains(named, StringComparison.Ordinal) && d.Line == 1);
        Assert.Empty(session.Variables);
        Assert.Equal(0, Counter.Value);
    }

    [Theory]
    [InlineData("return System.IO.File.ReadAllText(42);", "CS1503", "HOLE1006")]
    [InlineData("return System.IO.File.ReadAllText(\"a\", \"b\", \"c\");", "CS1501", "HOLE1006")]
    [InlineData("var p = System.Diagnostics.Process.Start(1, 2, 3); return \"x\";", "CS1501", "HOLE1008")]
    public async Task Code_that_does_not_bind_still_gets_its_capability_denial(string code, string compilerId, string denialId)
    {
        // The operation tree keeps the parts of a failed call that did bind (here the type it is called on), so one
        // retry can fix both the compiler error and the capability problem.
        await using var session = new AgentSession(new ScriptedChatClient());
        var result = await session.ExecuteAsync<string>(code);

        Assert.Equal(HoleStatus.Rejected, result.Status);
        Assert.Contains(result.Diagnostics, d => d.Id == compilerId);
        Assert.Contains(result.Diagnostics, d => d.Id == denialId);
    }

    public static TheoryData<string> Allowed => new()
    {
        "return string.Join(\",\", xs.Where(x => x > 1).Select(x => x * 2));",
        "var sb = new StringBuilder(); foreach (var x in xs) sb.Append(x); return sb.ToString();",
        "var d = xs.ToDictionary(x => x, x => Math.Sqrt(x)); return d.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);",
        "return System.Text.Json.JsonSerializer.Serialize(xs);",
        "return System.Text.RegularExpressions.Regex.Replace(\"aaa\", \"a\", \"b\", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));",
        "var (a, b) = (1, \"two\"); return $\"{a}{b}{Holes.Tests.Stages.Counter.Start}\";",
        "var t = await Task.WhenAll(Task.FromResult(1), Task.FromResult(2)); return t.Sum().ToString();",
        "try { throw new InvalidOperationException(\"x\"); } catch (InvalidOperationException e) { return e.Message; }",
        "var p = new Holes.Tests.Stages.Pair(1, 2); return (p with { Right = 5 }).ToString();",
        "var ys = xs.ToArray()[1..]; return ys.Length.ToString();",
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public async Task Pure_code_passes(string code)
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        var result = await session.ExecuteAsync<string>(code, new HoleBindings().Add("xs", new List<int> { 1, 2 }));
        Assert.True(result.IsAccepted, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public async Task Console_is_allowed_when_the_policy_grants_it()
    {
        var options = new HoleOptions { Policy = new CapabilityPolicy { AllowConsole = true } };
        await using var session = new AgentSession(new ScriptedChatClient(), options);
        var result = await session.ExecuteAsync<int>("Console.Write(\"\"); return 1;");
        Assert.True(result.IsAccepted, string.Join("\n", result.Diagnostics));
    }

    [Theory]
    [InlineData("Console.CancelKeyPress += (_, e) => e.Cancel = true; return 1;", "HOLE1010")]
    [InlineData("Console.SetOut(new System.IO.StringWriter()); return 1;", "HOLE1010")]
    [InlineData("Console.OutputEncoding = System.Text.Encoding.ASCII; return 1;", "HOLE1010")]
    [InlineData("return (Console.ReadLine() ?? \"\").Length;", "HOLE1017")]
    public async Task A_granted_console_still_cannot_change_the_process_or_wait_for_input(string code, string id)
    {
        var options = new HoleOptions { Policy = new CapabilityPolicy { AllowConsole = true } };
        await using var session = new AgentSession(new ScriptedChatClient(), options);
        var result = await session.ExecuteAsync<int>(code);
        Assert.Equal(HoleStatus.Rejected, result.Status);
        Assert.Contains(result.Diagnostics, d => d.Id == id && d.Message.Contains("Console", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Policy_can_deny_the_programs_own_namespace_and_allow_a_framework_type()
    {
        var options = new HoleOptions
        {
            Policy = new CapabilityPolicy { DeniedNamespaces = ["Holes.Tests.Stages"], AllowedTypes = ["System.Diagnostics.Stopwatch"] },
        };
        await using var session = new AgentSession(new ScriptedChatClient(), options);
        var denied = await session.ExecuteAsync<int>("return Holes.Tests.Stages.Counter.Value;");
        Assert.Equal("HOLE1016", Assert.Single(denied.Diagnostics).Id);
        var allowed = await session.ExecuteAsync<bool>("return System.Diagnostics.Stopwatch.IsHighResolution || true;");
        Assert.True(allowed.IsAccepted, string.Join("\n", allowed.Diagnostics));
    }

    [Fact]
    public async Task Fill_cannot_reach_the_engines_frame()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        var result = await session.ExecuteAsync<int>("__frame.Declare(\"x\", 1); return 1;");
        Assert.Contains(result.Diagnostics, d => d.Id == "HOLE1014");
    }

    [Fact]
    public async Task Fill_cannot_break_out_of_its_method()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        var result = await session.ExecuteAsync<int>("return 1; } } public static class Evil { static Evil() { } } class X { void M() {");
        Assert.Contains(result.Diagnostics, d => d.Id == "HOLE0003");
        var directive = await session.ExecuteAsync<int>("#line 1 \"other.cs\"\nreturn 1;");
        Assert.Contains(directive.Diagnostics, d => d.Id == "HOLE0003");
    }

    [Fact]
    public async Task Extern_local_functions_and_unsafe_code_are_rejected()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        var pinvoke = await session.ExecuteAsync<int>("[System.Runtime.InteropServices.DllImport(\"libc\")] static extern int getpid(); return getpid();");
        Assert.Contains(pinvoke.Diagnostics, d => d.Id == "HOLE1004");
        var pointers = await session.ExecuteAsync<int>("unsafe { int x = 1; int* p = &x; return *p; }");
        Assert.Contains(pointers.Diagnostics, d => d.Id is "HOLE1003" or "CS0227");
    }
}

internal static class Counter
{
    // Reading a constant of the program is fine; reading (or writing) its mutable static state is not.
    public const int Start = 0;

    public static int Value;
}

internal sealed record Pair(int Left, int Right);
