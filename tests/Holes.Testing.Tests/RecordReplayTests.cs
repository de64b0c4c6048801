using Microsoft.Extensions.AI;
using static Holes.Agents;

namespace Holes.Testing.Tests;

/// <summary>
/// Records a program's holes from a "real" model (a scripted one), saves the recordings, then runs the same program
/// again with a <see cref="ReplayChatClient"/> reading the file: same values, same attempts, no model.
/// </summary>
public class RecordReplayTests
{
    private static readonly string[] s_topics = ["Roslyn", "LINQ", "Span<T>"];

    /// <summary>The program: a hole that needs a retry, parallel sub-agents with one task, and a nested hole per item.</summary>
    private static async Task<(int Year, string[] Lines, List<string> Summaries, Person Turing)> RunProgramAsync()
    {
        int year = await agent<int>("the year Alan Turing was born");

        var topics = s_topics;
        string[] lines = await agent<string[]>("one line about each of topics, in parallel", topics);

        var docs = new List<string> { "Holes fills typed holes.", "Roslyn checks every fill." };
        List<string> summaries = await agent<List<string>>("summarise each of docs", docs);

        Person turing = await agent<Person>("basic facts about Alan Turing");
        return (year, lines, summaries, turing);
    }

    private static ScriptedChatClient LiveModel()
    {
        var model = new ScriptedChatClient()
            .ReplyWithCode("return TuringFacts.BirthYear;")          // rejected: unknown name
            .ReplyWithCode("return 1912;")
            .ReplyWithCode("return await Task.WhenAll(topics.Select(topic => agent<string>(\"one line about topic\", topic)));")
            .ReplyWithCode(
                """
                var summaries = new List<string>();
                foreach (var doc in docs)
                {
                    summaries.Add(await agent<string>("summarise doc in three words", doc));
                }
                return summaries;
                """)
            .ReplyWithCode("return new Person(\"Alan Turing\", 1912);");

        // Each sub-agent's answer depends on its own topic, so a replay that mixed them up would show.
        model.WhenTask("one line about topic", r =>
        {
            var topic = s_topics.Single(t => r.Prompt.Contains($"`topic`: `string` = \"{t}\"", StringComparison.Ordinal));
            return $"return \"{topic} is a line\";";
        });
        model.WhenTask("summarise doc in three words", r => r.Prompt.Contains("= \"Roslyn", StringComparison.Ordinal)
            ? "return \"Roslyn checks fills\";"
            : "return \"Holes fills holes\";");
        return model;
    }

    [Fact]
    public async Task Recorded_fills_replay_to_the_same_values()
    {
        var path = Path.Combine(Path.GetTempPath(), $"holes-recordings-{Guid.NewGuid():N}.json");
        try
        {
            // Record.
            var live = LiveModel();
            var recorder = new RecordingChatClient(live);
            (int Year, string[] Lines, List<string> Summaries, Person Turing) recorded;
            await using (var session = new AgentSession(recorder))
            {
                AgentSession.Current = session;
                recorded = await RunProgramAsync();
            }

            await recorder.SaveAsync(path, CancellationToken.None);

            Assert.Equal(1912, recorded.Year);
            Assert.Equal(["Roslyn is a line", "LINQ is a line", "Span<T> is a line"], recorded.Lines);
            Assert.Equal(["Holes fills holes", "Roslyn checks fills"], recorded.Summaries);

            // What was saved: one entry per hole (1 + 1 + 3 + 1 + 2 + 1), the retry appended to its hole's entry.
            var file = RecordingFile.Load(path);
            Assert.Equal(9, file.Holes.Count);
            Assert.Equal(live.Requests.Count, file.Holes.Sum(h => h.Replies.Count));
            var year = Assert.Single(file.Holes, h => h.Task == "the year Alan Turing was born");
            Assert.Equal(2, year.Replies.Count);
            Assert.Empty(year.PromptContains);
            var subAgents = file.Holes.Where(h => h.Task == "one line about topic").ToList();
            Assert.Equal(3, subAgents.Count);
            Assert.All(subAgents, h => Assert.Contains("`topic`: `string`", Assert.Single(h.PromptContains), StringComparison.Ordinal));
            Assert.Equal(3, subAgents.Select(h => h.PromptContains[0]).Distinct().Count());
            // Nested holes also see the parent's values (docs, summaries so far): only their own doc tells them apart.
            var nested = file.Holes.Where(h => h.Task == "summarise doc in three words").ToList();
            Assert.Equal(2, nested.Count);
            Assert.All(nested, h => Assert.StartsWith("- `doc`: `string` = ", Assert.Single(h.PromptContains), StringComparison.Ordinal));
            Assert.Contains("Recorded by Holes.Testing.RecordingChatClient", file.Comment, StringComparison.Ordinal);

            // Replay, several times so the parallel sub-agents arrive in different orders.
            for (var run = 0; run < 5; run++)
            {
                var replay = new ReplayChatClient(path);
                await using var session = new AgentSession(replay);
                AgentSession.Current = session;

                var replayed = await RunProgramAsync();

                Assert.Equal(recorded.Year, replayed.Year);
                Assert.Equal(recorded.Lines, replayed.Lines);
                Assert.Equal(recorded.Summaries, replayed.Summaries);
                Assert.Equal(recorded.Turing, replayed.Turing);
                Assert.Empty(replay.UnusedEntries);
                Assert.Equal(live.Requests.Select(r => (r.Task, r.Attempt)).Order(), replay.Requests.Select(r => (r.Task, r.Attempt)).Order());
                Assert.Equal(1, session.Stats.Retries);
                Assert.Equal(1, session.Stats.Rejected);
                // Recordings do not hold usage, and the replay invents none: tokens are unknown, not 0 or an estimate.
                Assert.Null(session.Stats.InputTokens);
                Assert.Null(session.Stats.OutputTokens);
                Assert.Equal(session.Stats.ModelCalls, session.Stats.ModelCallsWithoutUsage);
                Assert.Contains("tokens unknown", session.Stats.ToString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            AgentSession.Current = null;
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Requests_that_are_not_holes_are_forwarded_but_not_recorded()
    {
        var live = new ScriptedChatClient().ReplyWithText("hi");
        var recorder = new RecordingChatClient(live);

        var response = await recorder.GetResponseAsync([new ChatMessage(ChatRole.User, "hello")]);

        Assert.Equal("hi", response.Text);
        Assert.Equal(0, recorder.Count);
        Assert.Empty(recorder.ToRecordingFile().Holes);
    }

    [Fact]
    public async Task Streaming_replies_are_recorded_too()
    {
        var live = new ScriptedChatClient().ReplyWithCode("return 1;");
        var recorder = new RecordingChatClient(live) { Comment = "streamed" };

        await foreach (var _ in recorder.GetStreamingResponseAsync(new Conversation("t", "p").Messages))
        {
        }

        var file = recorder.ToRecordingFile();
        Assert.Equal("streamed", file.Comment);
        Assert.Equal(FillReplies.Code("return 1;"), Assert.Single(Assert.Single(file.Holes).Replies));
    }
}
