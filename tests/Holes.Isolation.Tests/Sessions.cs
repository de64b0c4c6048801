using Holes;
using Holes.Testing;

namespace Holes.Isolation.Tests;

internal static class Sessions
{
    /// <summary>A session whose fills run in a worker process; <paramref name="log"/> collects its one-line notes.</summary>
    public static AgentSession Process(List<string>? log = null, Action<HoleOptions>? configure = null, ScriptedChatClient? model = null)
    {
        var options = new HoleOptions { Isolation = HoleIsolation.Process, Log = log is null ? null : line => { lock (log) { log.Add(line); } } };
        configure?.Invoke(options);
        return new AgentSession(model ?? new ScriptedChatClient(), options);
    }

    public static T Accepted<T>(HoleResult<T> result)
    {
        Assert.True(result.IsAccepted, $"{result.Status}: {string.Join("; ", result.Diagnostics)} {result.Exception}");
        return result.Value!;
    }

    public static HoleBudgetExceededException Budget<T>(HoleResult<T> result)
    {
        Assert.Equal(HoleStatus.Faulted, result.Status);
        return Assert.IsType<HoleBudgetExceededException>(result.Exception);
    }
}
