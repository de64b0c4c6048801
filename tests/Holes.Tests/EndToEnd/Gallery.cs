using Holes.Testing;

namespace Holes.Tests.EndToEnd;

/// <summary>
/// Drives a hole through a scripted model: the given wrong fills first (each must be rejected before running with
/// the expected diagnostic), then the right one. Checks that every retry prompt carries the previous attempt's code
/// and diagnostics, and that nothing a rejected fill declared reached the session.
/// </summary>
internal sealed class Gallery : IAsyncDisposable
{
    public Gallery(HoleOptions? options = null)
    {
        Model = new ScriptedChatClient();
        Session = new AgentSession(Model, options);
        AgentSession.Current = Session;
    }

    public ScriptedChatClient Model { get; }

    public AgentSession Session { get; }

    public Gallery Wrong(string code)
    {
        Model.ReplyWithCode(code);
        return this;
    }

    public Gallery Right(string code)
    {
        Model.ReplyWithCode(code);
        return this;
    }

    /// <summary>Asserts that attempt k+1's prompt reports <paramref name="expectedIds"/>[k] for the k-th wrong fill.</summary>
    public void AssertRetries(string task, params string[] expectedIds)
    {
        // The first hole with this task; a loop may reach the same task again afterwards.
        var requests = Model.Requests.Where(r => r.Task == task).Take(expectedIds.Length + 1).ToList();
        Assert.Equal(Enumerable.Range(1, expectedIds.Length + 1), requests.Select(r => r.Attempt));
        for (var k = 0; k < expectedIds.Length; k++)
        {
            var retry = requests[k + 1];
            Assert.Equal(k + 2, retry.Attempt);
            Assert.Contains("rejected before it ran", retry.LastMessage, StringComparison.Ordinal);
            Assert.True(retry.LastMessage.Contains(expectedIds[k], StringComparison.Ordinal), $"expected {expectedIds[k]} in:\n{retry.LastMessage}");
            Assert.Contains("1 | ", retry.LastMessage, StringComparison.Ordinal);
        }

        var stats = Session.Stats;
        Assert.True(stats.Rejected >= expectedIds.Length, stats.ToString());
    }

    public ValueTask DisposeAsync()
    {
        AgentSession.Current = null;
        return Session.DisposeAsync();
    }
}
