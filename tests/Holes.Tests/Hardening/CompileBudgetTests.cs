using Holes.Testing;

namespace Holes.Tests.Hardening;

/// <summary>Compiling has a budget: code too long or too deeply nested is rejected (HOLE0006) before it is bound.</summary>
public class CompileBudgetTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(2);

    private static async Task<HoleResult<int>> Run(string code)
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        return await session.ExecuteAsync<int>(code).WaitAsync(Hang);
    }

    [Fact]
    public async Task Code_that_is_too_long_is_rejected()
    {
        var result = await Run("var x = 0;\n" + string.Concat(Enumerable.Repeat("x = x + 1;\n", 8_000)) + "return x;");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("HOLE0006", diagnostic.Id);
        Assert.Contains("characters long", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deeply_nested_expressions_are_rejected_before_binding()
    {
        var result = await Run("return " + new string('(', 2_000) + "1" + new string(')', 2_000) + ";");

        Assert.Equal(HoleStatus.Rejected, result.Status);
        Assert.Contains(result.Diagnostics, d => d.Id is "HOLE0006" or "CS8078");
    }

    [Fact]
    public async Task Deeply_nested_blocks_are_rejected_with_the_line()
    {
        var code = "var n = 0;\n" + string.Concat(Enumerable.Repeat("if (n >= 0) {\n", 300)) + "n++;\n" + new string('}', 300) + "\nreturn n;";
        var result = await Run(code);

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "HOLE0006");
        Assert.Contains("nests more than", diagnostic.Message, StringComparison.Ordinal);
        Assert.True(diagnostic.Line > 1);
    }

    [Fact]
    public async Task Lambdas_nested_too_deeply_are_rejected()
    {
        var depth = 20;
        var code = "Func<int, int> f = " + string.Concat(Enumerable.Range(0, depth).Select(i => $"x{i} => new Func<int, int>(")) + "y => y" +
                   string.Concat(Enumerable.Repeat(")(x0)", depth)) + "; return f(1);";
        var result = await Run(code);

        Assert.Contains(result.Diagnostics, d => d.Id == "HOLE0006" && d.Message.Contains("lambdas", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ordinary_nesting_compiles()
    {
        var result = await Run(
            "var xs = Enumerable.Range(0, 10).ToList();\n" +
            "return xs.Where(x => x % 2 == 0).Select(x => xs.Where(y => y > x).Select(y => Enumerable.Range(0, y).Count(z => z < x)).Sum()).Sum();");

        Assert.True(result.IsAccepted, string.Join("\n", result.Diagnostics));
    }
}
