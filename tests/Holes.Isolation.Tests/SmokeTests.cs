using Holes;
using Holes.Testing;

namespace Holes.Isolation.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task A_simple_fill_runs_in_the_worker()
    {
        var log = new List<string>();
        await using var session = new AgentSession(new ScriptedChatClient(), new HoleOptions { Isolation = HoleIsolation.Process, Log = log.Add });
        var result = await session.ExecuteAsync<int>("return 6 * 7;");
        Assert.True(result.IsAccepted, result.Exception?.ToString());
        Assert.Equal(42, result.Value);
        var pid = await session.ExecuteAsync<int>("return System.Environment.ProcessId;");
        Console.WriteLine(string.Join("\n", log) + " " + session.Protections + " " + pid.Status + pid.Diagnostics.FirstOrDefault());
    }
}
