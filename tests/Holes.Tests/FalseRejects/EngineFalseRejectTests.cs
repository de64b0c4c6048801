using Holes.Testing;

namespace Holes.Tests.FalseRejects;

/// <summary>Correct code that the engine's own rewriting used to break (issue 6: zero false rejects).</summary>
public class EngineFalseRejectTests
{
    [Theory]
    [InlineData("ReadOnlySpan<int> span = new[] { 3, 1, 2 }; var total = 0; foreach (var x in span) total += x; return total;", 6)]
    [InlineData("Span<int> buffer = stackalloc int[4]; buffer.Fill(2); var sum = 0; foreach (var b in buffer) sum += b; return sum;", 8)]
    [InlineData("var text = \"1,2,3\"; ReadOnlySpan<char> s = text.AsSpan(); var n = s.Count(','); return n + 4;", 6)]
    public async Task Top_level_span_locals_compile_and_are_not_persisted(string code, int expected)
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        var result = await session.ExecuteAsync<int>(code);

        Assert.True(result.IsAccepted, string.Join("\n", result.Diagnostics));
        Assert.Equal(expected, result.Value);
        Assert.DoesNotContain(session.Variables, v => v.Name is "span" or "buffer" or "s");
    }

    [Fact]
    public async Task A_throw_expression_bodied_local_function_stays_valid()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        var result = await session.ExecuteAsync<int>(
            "int Fail(string why) => throw new InvalidOperationException(why); int Check(int x) => x > 0 ? x : Fail(\"negative\"); return Check(5);");

        Assert.True(result.IsAccepted, string.Join("\n", result.Diagnostics));
        Assert.Equal(5, result.Value);
    }

    [Fact]
    public async Task Query_range_variables_do_not_collide_with_session_variables()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        Assert.True((await session.ExecuteAsync<int>("var x = 10; var g = 1; var total = 0; return x;")).IsAccepted);

        var result = await session.ExecuteAsync<int>(
            "var words = new[] { \"a\", \"bb\", \"cc\" }; " +
            "var q = from x in words let total = x.Length join w in words on x equals w into g group total by total into g2 select g2.Count(); " +
            "return q.Sum();");

        Assert.True(result.IsAccepted, string.Join("\n", result.Diagnostics));
        Assert.Equal(3, result.Value);
        Assert.Equal(10, session.Variables.Single(v => v.Name == "x").Value);
    }
}
