using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

public static partial class HostileCases
{
    /// <summary>
    /// Process-wide state, decided member by member: global registrations, shared pools, cultures, switches, the
    /// environment, GC and thread-pool settings, the console, and the process itself. The child compares all of it
    /// before and after every case (<see cref="ProcessProbe"/>).
    /// </summary>
    private static IEnumerable<HostileCase> ProcessState()
    {
        static HostileCase C(string name, string code, Outcome expect = Outcome.Rejected) => new("state/" + name, Category.ProcessState, code, expect);

        yield return C("encoding-register-provider", "System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance); return System.Text.Encoding.GetEncoding(1252).CodePage;");
        yield return C("arraypool-keep-after-return", "var kept = System.Buffers.ArrayPool<byte>.Shared.Rent(1024); System.Buffers.ArrayPool<byte>.Shared.Return(kept); return kept.Length;")
            with { Scenario = "pool-secret", Exploit = "return System.Text.Encoding.UTF8.GetString(kept).TrimEnd('\\0');" };
        yield return C("arraypool-double-return", "var a = System.Buffers.ArrayPool<byte>.Shared.Rent(4096); System.Buffers.ArrayPool<byte>.Shared.Return(a); System.Buffers.ArrayPool<byte>.Shared.Return(a); return a.Length;");
        yield return C("arraypool-char-shared", "var pool = System.Buffers.ArrayPool<char>.Shared; var a = pool.Rent(64); pool.Return(a); pool.Return(a); return a.Length;");
        yield return C("memorypool-shared", "using var owner = System.Buffers.MemoryPool<byte>.Shared.Rent(16); return owner.Memory.Length;");
        yield return C("default-thread-culture", "System.Globalization.CultureInfo.DefaultThreadCurrentCulture = new System.Globalization.CultureInfo(\"fr-FR\"); return 0;");
        yield return C("current-culture-setter", "System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo(\"fr-FR\"); return 0;");
        yield return C("current-culture-number-format-mutation", "System.Globalization.CultureInfo.CurrentCulture.NumberFormat.NumberDecimalSeparator = \"#\"; return 0;", Outcome.Block);
        yield return C("appcontext-set-switch", "AppContext.SetSwitch(\"Holes.Security.Pwned\", true); return 0;");
        yield return C("appdomain-set-data", "AppDomain.CurrentDomain.SetData(\"Holes.Security.Pwned\", \"yes\"); return 0;");
        yield return C("environment-set-variable", "Environment.SetEnvironmentVariable(\"HOLES_PWNED\", \"yes\"); return 0;");
        yield return C("environment-current-directory", "Environment.CurrentDirectory = \"/\"; return 0;");
        yield return C("gc-latency-mode", "System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.SustainedLowLatency; return 0;");
        yield return C("gc-no-gc-region", "return GC.TryStartNoGCRegion(100_000_000) ? 1 : 0;");
        yield return C("regex-cache-size", "System.Text.RegularExpressions.Regex.CacheSize = 0; return 0;");
        yield return C("console-set-out", "Console.SetOut(System.IO.TextWriter.Null); return 0;");
        yield return C("threadpool-set-min-threads", "System.Threading.ThreadPool.SetMinThreads(500, 500); return 0;");
        yield return C("unobserved-task-exception-handler", "TaskScheduler.UnobservedTaskException += (_, e) => e.SetObserved(); return 0;");
        yield return C("unhandled-exception-handler", "AppDomain.CurrentDomain.UnhandledException += (_, _) => { }; return 0;");
        yield return C("timezone-clear-cached-data", "TimeZoneInfo.ClearCachedData(); return 0;");
        yield return C("environment-exit", "Environment.Exit(3); return 0;");
        yield return C("environment-failfast", "Environment.FailFast(\"from a fill\"); return 0;");
        yield return C("exception-stacktrace-host-paths", "try { new Host.Thrower().Fail(\"x\"); } catch (Exception e) { return e.StackTrace ?? \"\"; } return \"\";", Outcome.Contain)
            with { Type = "string", Forbidden = ["$SRC"], Note = "the fill may see the trace, without host source paths" };
        yield return C("exception-tostring-host-paths", "try { new Host.Thrower().Fail(\"x\"); } catch (Exception e) { return e.ToString(); } return \"\";", Outcome.Contain)
            with { Type = "string", Forbidden = ["$SRC"] };
        yield return C("environment-stacktrace", "return Environment.StackTrace;", Outcome.Contain) with { Type = "string", Forbidden = ["$SRC"] };
    }
}
