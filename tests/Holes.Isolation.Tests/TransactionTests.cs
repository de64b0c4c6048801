using Holes;
using static Holes.Isolation.Tests.Sessions;

namespace Holes.Isolation.Tests;

/// <summary>
/// Process mode has the same transactional session as in process: the host takes the write locks before it sends a
/// fill to the worker and releases them after the worker's commit, so no update is lost.
/// </summary>
public class TransactionTests
{
    [Fact]
    public async Task Concurrent_increments_in_the_worker_are_not_lost()
    {
        await using var session = Process(configure: o => o.SandboxDisabled = true);
        session.SetVariable("counter", 0);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            session.ExecuteAsync<int>("var before = counter; await Task.Yield(); counter = before + 1; return counter;"))))
            .WaitAsync(TimeSpan.FromMinutes(3));

        Assert.All(results, r => Accepted(r));
        Assert.Equal(8, Accepted(await session.ExecuteAsync<int>("return counter;")));
        Assert.Equal(8, session.Variables.Single(v => v.Name == "counter").Value);
    }

    [Fact]
    public async Task A_fill_that_throws_in_the_worker_commits_nothing()
    {
        await using var session = Process(configure: o => o.SandboxDisabled = true);
        session.SetVariable("counter", 1);

        var result = await session.ExecuteAsync<int>("counter = 50; throw new InvalidOperationException(\"no\");");

        Assert.Equal(HoleStatus.Faulted, result.Status);
        Assert.Equal(1, Accepted(await session.ExecuteAsync<int>("return counter;")));
    }
}
