using Microsoft.Extensions.AI;

namespace Holes.Testing.Tests;

public class ReplayChatClientTests
{
    private static RecordingFile Recordings(params RecordingEntry[] entries)
    {
        var file = new RecordingFile();
        foreach (var entry in entries)
        {
            file.Holes.Add(entry);
        }

        return file;
    }

    private static RecordingEntry Entry(string task, string[] promptContains, params string[] replies)
    {
        var entry = new RecordingEntry(task, replies);
        foreach (var text in promptContains)
        {
            entry.PromptContains.Add(text);
        }

        return entry;
    }

    [Fact]
    public async Task Attempts_of_one_hole_get_the_entry_replies_in_order()
    {
        var client = new ReplayChatClient(Recordings(new RecordingEntry("the year", "first", "second", "third")));
        var hole = new Conversation("the year", "# Hole\n## Task\nthe year");

        Assert.Equal("first", await hole.AskAsync(client));
        Assert.Equal("second", await hole.Reject("first").AskAsync(client));
        Assert.Equal("third", await hole.Reject("second").AskAsync(client));
        Assert.Equal([1, 2, 3], client.Requests.Select(r => r.Attempt));
        Assert.Empty(client.UnusedEntries);
    }

    [Fact]
    public async Task The_same_task_reached_twice_uses_the_entries_in_file_order()
    {
        var client = new ReplayChatClient(Recordings(
            new RecordingEntry("next step", "step 1"),
            new RecordingEntry("other", "other"),
            new RecordingEntry("next step", "step 2, attempt 1", "step 2, attempt 2")));

        Assert.Equal("step 1", await new Conversation("next step", "history: []").AskAsync(client));
        var second = new Conversation("next step", "history: [step 1]");
        Assert.Equal("step 2, attempt 1", await second.AskAsync(client));
        Assert.Equal("step 2, attempt 2", await second.Reject("step 2, attempt 1").AskAsync(client));
        Assert.Equal("other", Assert.Single(client.UnusedEntries).Replies[0]);
    }

    [Fact]
    public async Task A_retry_continues_its_own_conversation_while_another_hole_with_the_task_is_open()
    {
        var client = new ReplayChatClient(Recordings(
            new RecordingEntry("t", "a1", "a2"),
            new RecordingEntry("t", "b1", "b2")));
        var a = new Conversation("t", "prompt a");
        var b = new Conversation("t", "prompt b");

        Assert.Equal("a1", await a.AskAsync(client));
        Assert.Equal("b1", await b.AskAsync(client));
        Assert.Equal("b2", await b.Reject("b1").AskAsync(client));
        Assert.Equal("a2", await a.Reject("a1").AskAsync(client));
    }

    [Fact]
    public async Task A_retry_whose_messages_were_copied_is_recognised_by_its_prompt()
    {
        var client = new ReplayChatClient(Recordings(
            new RecordingEntry("t", "a1", "a2"),
            new RecordingEntry("t", "b1", "b2")));
        var a = new Conversation("t", "prompt a");
        var b = new Conversation("t", "prompt b");
        await a.AskAsync(client);
        await b.AskAsync(client);

        var retry = await client.GetResponseAsync(b.Reject("b1").Copied());

        Assert.Equal("b2", retry.Text);
    }

    [Fact]
    public async Task Parallel_holes_with_one_task_get_the_entry_whose_prompt_substrings_match()
    {
        var topics = new[] { "Roslyn", "LINQ", "Span<T>", "records", "pattern matching", "generics" };
        var client = new ReplayChatClient(Recordings(
            [.. topics.Select(t => Entry("one line about topic", [$"`topic`: `string` = \"{t}\""], $"about {t}", $"about {t}, again"))]));

        // Arrive in reverse order, all at once, each retrying once.
        var answers = await Task.WhenAll(topics.Reverse().Select(async t =>
        {
            await Task.Yield();
            var hole = new Conversation("one line about topic", $"## Values handed in\n- `topic`: `string` = \"{t}\"\n- `topics`: `string[]` = [...]\n");
            var first = await hole.AskAsync(client);
            var second = await hole.Reject(first).AskAsync(client);
            return (Topic: t, First: first, Second: second);
        }));

        Assert.All(answers, a =>
        {
            Assert.Equal($"about {a.Topic}", a.First);
            Assert.Equal($"about {a.Topic}, again", a.Second);
        });
        Assert.Empty(client.UnusedEntries);
    }

    [Fact]
    public async Task Many_threads_each_claim_their_own_entry()
    {
        const int holes = 64;
        var client = new ReplayChatClient(Recordings([.. Enumerable.Range(0, holes).Select(i => new RecordingEntry("same task", $"reply {i}"))]));

        var replies = new string[holes];
        await Parallel.ForAsync(0, holes, async (i, _) => replies[i] = await new Conversation("same task", $"hole {i}").AskAsync(client));

        Assert.Equal(holes, replies.Distinct().Count());
        Assert.Empty(client.UnusedEntries);
    }

    [Fact]
    public async Task The_most_specific_matching_entry_is_preferred()
    {
        var client = new ReplayChatClient(Recordings(
            new RecordingEntry("t", "generic"),
            Entry("t", ["beta"], "specific")));

        Assert.Equal("specific", await new Conversation("t", "alpha beta").AskAsync(client));
        Assert.Equal("generic", await new Conversation("t", "alpha").AskAsync(client));
    }

    [Fact]
    public async Task A_hole_with_no_entry_fails_with_a_message_that_names_the_task_and_how_to_record_it()
    {
        var client = new ReplayChatClient(Recordings(new RecordingEntry("known task", "x")), "recordings.json");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new Conversation("unknown task", "p").AskAsync(client));

        Assert.Contains("\"unknown task\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("Program.cs:12", error.Message, StringComparison.Ordinal);
        Assert.Contains("recordings.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("no entry with this task", error.Message, StringComparison.Ordinal);
        Assert.Contains("RecordingChatClient", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hole_reached_more_often_than_recorded_fails()
    {
        var client = new ReplayChatClient(Recordings(new RecordingEntry("t", "x")));
        await new Conversation("t", "p").AskAsync(client);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new Conversation("t", "p").AskAsync(client));

        Assert.Contains("already used", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hole_whose_prompt_lacks_the_substrings_fails()
    {
        var client = new ReplayChatClient(Recordings(Entry("t", ["needle"], "x")));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new Conversation("t", "haystack").AskAsync(client));

        Assert.Contains("promptContains", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_attempts_than_recorded_replies_fail()
    {
        var client = new ReplayChatClient(Recordings(new RecordingEntry("t", "only one")));
        var hole = new Conversation("t", "p");
        await hole.AskAsync(client);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => hole.Reject("only one").AskAsync(client));

        Assert.Contains("attempt 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("only 1 reply", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_that_is_not_a_hole_fails()
    {
        var client = new ReplayChatClient(Recordings(new RecordingEntry("t", "x")));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "hello")]));

        Assert.Contains("no hole task", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_is_not_reported_because_recordings_do_not_hold_it()
    {
        // An estimate (characters / 4) would be printed as if the provider had counted it: report nothing instead.
        var client = new ReplayChatClient(Recordings(new RecordingEntry("t", new string('x', 40))));

        var response = await client.GetResponseAsync(new Conversation("t", new string('p', 400)).Messages);

        Assert.Null(response.Usage);
    }

    [Fact]
    public async Task Scripted_usage_is_reported_only_when_the_test_sets_it()
    {
        var silent = new ScriptedChatClient().ReplyWithText("a");
        Assert.Null((await silent.GetResponseAsync(new Conversation("t", "p").Messages)).Usage);

        var counted = new ScriptedChatClient
        {
            ModelId = "m",
            Usage = (request, reply) => new UsageDetails { InputTokenCount = request.Prompt.Length, OutputTokenCount = reply.Length },
        }.ReplyWithText("abc");
        var response = await counted.GetResponseAsync(new Conversation("t", "prompt").Messages);
        Assert.Equal(3, response.Usage?.OutputTokenCount);
        Assert.Equal("m", response.ModelId);
        Assert.Equal("m", counted.GetService<ChatClientMetadata>()?.DefaultModelId);
    }

    [Fact]
    public async Task Streaming_replays_the_same_text()
    {
        var client = new ReplayChatClient(Recordings(new RecordingEntry("t", "streamed")));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(new Conversation("t", "p").Messages))
        {
            updates.Add(update);
        }

        Assert.Equal("streamed", updates.ToChatResponse().Text);
    }
}

public class HoleRequestTests
{
    [Fact]
    public void Reads_the_task_site_and_attempt_of_a_hole_request()
    {
        var hole = new Conversation("the task", "the prompt").Reject("first reply");

        var request = HoleRequest.From(hole.Messages);

        Assert.Equal("the task", request.Task);
        Assert.Equal("Program.cs:12", request.Site);
        Assert.Equal(2, request.Attempt);
        Assert.Equal("the prompt", request.Prompt);
        Assert.Contains("rejected", request.LastMessage, StringComparison.Ordinal);
        hole.Messages.Clear();
        Assert.Equal(4, request.Messages.Count);                                                   // a copy
    }

    [Fact]
    public void A_request_that_is_not_a_hole_has_no_task()
    {
        var request = HoleRequest.From([new ChatMessage(ChatRole.User, "hello")]);

        Assert.Equal("", request.Task);
        Assert.Equal(1, request.Attempt);
    }
}
