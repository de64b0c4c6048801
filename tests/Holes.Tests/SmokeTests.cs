using Holes.Testing;

namespace Holes.Tests;

public class SmokeTests
{
    [Fact]
    public async Task ExecuteAsync_runs_code()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        var result = await session.ExecuteAsync<int>("var x = 40; return x + 2;");
        Assert.True(result.IsAccepted, string.Join("\n", result.Diagnostics));
        Assert.Equal(42, result.Value);
        var second = await session.ExecuteAsync<int>("x++; return x * 2;");
        Assert.True(second.IsAccepted, string.Join("\n", second.Diagnostics));
        Assert.Equal(82, second.Value);
        Assert.Equal(41, session.Variables.Single(v => v.Name == "x").Value);
    }
}
