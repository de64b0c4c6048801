using System.Text;
using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

public static partial class HostileCases
{
    /// <summary>
    /// Compile bombs: Roslyn runs in the host in both modes, so source that is too large or too deep must be refused
    /// before it is bound, and binding must not be able to overflow the stack or run for minutes.
    /// </summary>
    private static IEnumerable<HostileCase> CompileBombs()
    {
        static HostileCase C(string name, string code) => new("compile/" + name, Category.CompileBomb, code, Outcome.Stop);

        yield return C("deep-parentheses", "return " + new string('(', 20_000) + "1" + new string(')', 20_000) + ";");
        yield return C("deep-blocks", new string('{', 20_000) + new string('}', 20_000) + " return 0;");
        yield return C("deep-nested-lambdas", "Func<int, int> f = " + string.Concat(Enumerable.Range(0, 5_000).Select(i => $"x{i} => ")) + "0; return 0;");
        yield return C("deep-generic-type", "var x = default(" + string.Concat(Enumerable.Repeat("List<", 5_000)) + "int" + new string('>', 5_000) + "); return 0;");
        yield return C("long-binary-chain", "return 1" + string.Concat(Enumerable.Repeat(" + 1", 300_000)) + ";");
        yield return C("long-string-concatenation", "var s = \"a\"" + string.Concat(Enumerable.Repeat(" + \"a\"", 100_000)) + "; return s.Length;");
        yield return C("lambda-overload-explosion", "var t = " + string.Concat(Enumerable.Repeat("Task.Run(() => ", 14)) + "1" + new string(')', 14) + "; return 0;");
        yield return C("huge-source", Huge());
    }

    private static string Huge()
    {
        var code = new StringBuilder();
        for (var i = 0; i < 120_000; i++)
        {
            code.Append("var v").Append(i).Append(" = ").Append(i).Append(";\n");
        }

        return code.Append("return 0;").ToString();
    }
}
