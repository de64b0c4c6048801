using static Holes.Agents;

namespace Holes.Testing.Tests;

/// <summary>Real holes, filled through an <see cref="AgentSession"/> from hand-written recordings.</summary>
public class ReplaySessionTests
{
    private const string Recordings =
        """
        {
          "_comment": "hand-written for this test",
          "holes": [
            {
              "task": "keep only the prime numbers in xs",
              "replies": [
                { "code": "return xs.Where(IsPrime).ToList();", "giveUp": null },
                {
                  "code": [
                    "var primes = xs.Where(x => x > 1 && Enumerable.Range(2, x - 2).All(d => x % d != 0));",
                    "return primes.ToList();"
                  ],
                  "giveUp": null
                }
              ]
            },
            {
              "task": "double each of primes, each by a sub-agent",
              "replies": [
                "{\"code\": \"var result = new List<int>(); foreach (var x in primes) result.Add(await agent<int>(\\\"double x\\\", x)); return result;\", \"giveUp\": null}"
              ]
            },
            { "task": "double x", "promptContains": ["`x`: `int` = 7"], "replies": [ { "code": "return 14;", "giveUp": null } ] },
            { "task": "double x", "promptContains": ["`x`: `int` = 2"], "replies": [ { "code": "return x * 2;", "giveUp": null } ] },
            { "task": "double x", "replies": [ { "code": "return x + x;", "giveUp": null } ] }
          ]
        }
        """;

    [Fact]
    public async Task Holes_are_filled_from_the_recordings_with_retries_and_nested_holes()
    {
        var replay = new ReplayChatClient(RecordingFile.Parse(Recordings), "test recordings");
        await using var session = new AgentSession(replay);
        AgentSession.Current = session;
        var xs = new List<int> { 0, 1, 2, 4, 7, 9, 10 };

        List<int> primes = await agent<List<int>>("keep only the prime numbers in xs", xs);
        List<int> doubled = await agent<List<int>>("double each of primes, each by a sub-agent", primes);

        Assert.Equal([2, 7], primes);
        Assert.Equal([4, 14], doubled);
        Assert.Equal(1, session.Stats.Retries);
        Assert.Contains("CS0103", replay.Requests[1].LastMessage, StringComparison.Ordinal);   // IsPrime does not exist
        Assert.Equal("return x + x;", Assert.Single(replay.UnusedEntries).Replies[0].Split('"')[3]);
    }

    [Fact]
    public async Task A_hole_that_was_never_recorded_fails_with_a_model_error_naming_it()
    {
        await using var session = new AgentSession(new ReplayChatClient(RecordingFile.Parse(Recordings), "test recordings"));
        AgentSession.Current = session;

        var error = await Assert.ThrowsAsync<HoleModelException>(() => agent<int>("the year Alan Turing was born"));

        var cause = Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Contains("\"the year Alan Turing was born\"", cause.Message, StringComparison.Ordinal);
        Assert.Contains("test recordings", cause.Message, StringComparison.Ordinal);
    }
}
