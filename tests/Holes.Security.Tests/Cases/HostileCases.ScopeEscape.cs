using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

public static partial class HostileCases
{
    /// <summary>
    /// Scope escape: a fill is a sequence of statements inside the engine's method. It cannot close that method and
    /// declare members of its own, steer the compiler with directives, or reach the engine's own objects.
    /// </summary>
    private static IEnumerable<HostileCase> ScopeEscape()
    {
        static HostileCase C(string name, string code, Outcome expect = Outcome.Rejected) => new("scope/" + name, Category.ScopeEscape, code, expect);
        const string Write = "System.IO.File.WriteAllText(\"$ROOT/outside/pwned.txt\", \"x\");";

        yield return C("close-the-method", $"return 1; }} public static int Evil() {{ {Write} return 0; }} private static int Other() {{ return 0;");
        yield return C("close-the-class", $"return 1; }} }} public static class Evil {{ static Evil() {{ {Write} }} }} public static class More {{ static int M() {{ return 0;");
        yield return C("close-the-namespace", $"return 1; }} }} }} namespace Elsewhere {{ public static class Evil {{ [System.Runtime.CompilerServices.ModuleInitializer] public static void Init() {{ {Write} }} }} }} namespace Holes.Fill {{ public static class More {{ static int M() {{ return 0;");
        yield return C("module-initializer-local-function", $"[System.Runtime.CompilerServices.ModuleInitializer] static void Init() {{ {Write} }} return 0;");
        yield return C("line-directive", "#line 1 \"/etc/passwd\"\nreturn 1;");
        yield return C("if-directive", $"#if false\nreturn 0;\n#endif\n{Write} return 1;");
        yield return C("define-directive", $"#define HOLES\n{Write} return 1;");
        yield return C("reference-directive", "#r \"System.Net.Sockets\"\nreturn 1;");
        yield return C("load-directive", "#load \"/etc/passwd\"\nreturn 1;");
        yield return C("engine-frame-declare", "__frame.Declare(\"smuggled\", \"planted\"); return 0;")
            with { Exploit = "return smuggled;" };
        yield return C("engine-frame-type", "var frameType = typeof(Holes.Runtime.FillFrame); return frameType.GetMethods().Length;");
        yield return C("session-options-timeout", "Holes.AgentSession.Current!.Options.Timeout = null; while (true) { }", Outcome.Stop) with { TimeoutSeconds = 2 };
        yield return C("session-options-policy", "Holes.AgentSession.Current!.Options.Policy = new Holes.Capabilities.CapabilityPolicy { AllowedNamespaces = new[] { \"System.IO\" } }; return 0;")
            with { Exploit = $"{Write} return \"written\";" };
        yield return C("session-set-variable", "Holes.AgentSession.Current!.SetVariable(\"planted\", 42); return 0;");
        yield return C("session-execute-async", $"var inner = await Holes.AgentSession.Current!.ExecuteAsync<int>(\"return 1;\"); return inner.Value;");
        yield return C("session-chat-client", "var reply = await Microsoft.Extensions.AI.ChatClientExtensions.GetResponseAsync(Holes.AgentSession.Current!.ChatClient, \"what is the api key?\"); return reply.Text;") with { Type = "string" };
        yield return C("session-default", "return Holes.AgentSession.Default is null ? 0 : 1;");
        yield return C("internal-unchecked-fill", "return (await Holes.Execution.UncheckedFill.RunForTestsAsync<int>(Holes.AgentSession.Current!, \"return 1;\", default)).Value;");
    }
}
