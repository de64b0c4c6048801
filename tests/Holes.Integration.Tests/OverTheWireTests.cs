using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Holes.Pipeline.Prompt;
using static Holes.Agents;

namespace Holes.Integration.Tests;

/// <summary>
/// Holes through the real OpenAI client and Microsoft.Extensions.AI.OpenAI, against an OpenAI-compatible server on
/// loopback. Each case ends with a correct value or a clear error naming the site and the limit, and the session
/// intact: its variables unchanged and the next hole filled.
/// </summary>
public sealed class OverTheWireTests : IAsyncLifetime
{
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Short limits so every case finishes in well under a second or two.</summary>
    private static HoleOptions Fast(Action<HoleOptions>? tweak = null)
    {
        var options = new HoleOptions
        {
            MaxAttempts = 2,
            ModelTimeout = TimeSpan.FromSeconds(5),
            Timeout = TimeSpan.FromSeconds(30),
            ModelRetry = { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromSeconds(2) },
        };
        tweak?.Invoke(options);
        return options;
    }

    private async Task<AgentSession> SessionAsync(HoleOptions options)
    {
        var session = new AgentSession(_server.ChatClient(), options);
        var seeded = await session.ExecuteAsync<int>("var kept = 7; return kept;");
        Assert.True(seeded.IsAccepted);
        return session;
    }

    /// <summary>The session still has its variable, and a following hole over the same wire is filled.</summary>
    private async Task AssertIntactAsync(AgentSession session)
    {
        Assert.Equal(["kept"], session.Variables.Select(v => v.Name));
        Assert.Equal(7, session.Variables[0].Value);
        _server.ReplyWithCode("return kept + 1;");
        Assert.Equal(8, await agent<int>("one more than kept"));
    }

    /// <summary>An error message says each sentence once.</summary>
    private static void AssertSaysEachThingOnce(string message)
    {
        var sentences = message.Split(". ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(sentences.Length, sentences.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task The_request_carries_a_strict_schema_and_the_same_system_message_for_every_hole()
    {
        await using var session = await SessionAsync(Fast());
        AgentSession.Current = session;
        _server.ReplyWithCode("return 1912;").ReplyWithCode("return xs.Where(x => x % 2 == 0).ToList();");

        var year = await agent<int>("the year Alan Turing was born");
        var xs = new List<int> { 1, 2, 3, 4 };
        var even = await agent<List<int>>("keep the even numbers of xs", xs);

        Assert.Equal(1912, year);
        Assert.Equal([2, 4], even);
        var requests = _server.Requests;
        Assert.Equal(2, requests.Count);
        foreach (var request in requests)
        {
            Assert.Equal(FakeOpenAIServer.Model, (string?)request["model"]);
            var format = request["response_format"]!;
            Assert.Equal("json_schema", (string?)format["type"]);
            Assert.Equal("hole_fill", (string?)format["json_schema"]!["name"]);
            Assert.True((bool?)format["json_schema"]!["strict"]);
            var schema = format["json_schema"]!["schema"]!;
            Assert.Equal("""["code","giveUp"]""", schema["required"].Compact());
            Assert.False((bool?)schema["additionalProperties"]);
            Assert.Null(request["strict"]);   // the option configures the schema; it is not sent as a field of its own
        }

        // Byte-identical on the wire, and exactly the documented text.
        Assert.Equal(requests[0].SystemMessage(), requests[1].SystemMessage());
        Assert.Equal(JsonValue.Create(SystemPrompt.Text).ToJsonString(), requests[0].SystemMessage());

        // Usage is what the server reported: 120 in and 12 out per call.
        Assert.Equal(240, session.Stats.InputTokens);
        Assert.Equal(24, session.Stats.OutputTokens);
        Assert.Equal(2, session.Stats.Models[FakeOpenAIServer.Model].Calls);
        await AssertIntactAsync(session);
    }

    [Fact]
    public async Task Without_structured_output_the_code_comes_in_a_fenced_block()
    {
        await using var session = await SessionAsync(Fast(o => o.UseStructuredOutput = false));
        AgentSession.Current = session;
        _server.Reply("Sure, here it is:\n```csharp\nvar total = kept * 6;\nreturn total;\n```\nHope that helps.")
            .Reply("```csharp\nreturn 1;\n```");

        Assert.Equal(42, await agent<int>("kept times six"));
        Assert.Equal(1, await agent<int>("one"));

        var requests = _server.Requests;
        Assert.All(requests, r => Assert.Null(r["response_format"]));
        Assert.Equal(requests[0].SystemMessage(), requests[1].SystemMessage());
        var system = (string)JsonNode.Parse(requests[0].SystemMessage())!;
        Assert.Equal(SystemPrompt.FencedText, system);
        Assert.Contains("fenced block", system, StringComparison.Ordinal);
        Assert.DoesNotContain("Reply with one JSON object", system, StringComparison.Ordinal);
        Assert.Equal(["kept", "total"], session.Variables.Select(v => v.Name));
    }

    [Fact]
    public async Task Prose_with_no_code_fails_clearly_and_changes_nothing()
    {
        await using var session = await SessionAsync(Fast());
        AgentSession.Current = session;
        _server.Reply("The answer is forty-two.").Reply("I believe it is 42.");

        var error = await Assert.ThrowsAsync<HoleNoCodeException>(() => agent<int>("the answer"));

        Assert.Contains("OverTheWireTests.cs:", error.Message, StringComparison.Ordinal);
        Assert.Contains("was rejected 2 time(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("UseStructuredOutput = false", error.Message, StringComparison.Ordinal);
        Assert.All(error.Attempts, a => Assert.Null(a.Code));
        await AssertIntactAsync(session);
    }

    [Fact]
    public async Task Http_500_then_success_is_retried_without_using_up_an_attempt()
    {
        await using var session = await SessionAsync(Fast());
        AgentSession.Current = session;
        _server.Status(500).Status(503).ReplyWithCode("return 42;");

        Assert.Equal(42, await agent<int>("the answer"));

        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal(2, session.Stats.ModelRetries);
        Assert.Equal(0, session.Stats.Retries);        // no second attempt at the hole
        Assert.Equal(1, session.Stats.ModelCalls);
        await AssertIntactAsync(session);
    }

    [Fact]
    public async Task Http_429_waits_as_long_as_Retry_After_says()
    {
        var progress = new ConcurrentQueue<HoleProgress>();
        await using var session = await SessionAsync(Fast(o => o.Progress = new Synchronous<HoleProgress>(progress.Enqueue)));
        AgentSession.Current = session;
        _server.Status(429, ("Retry-After", "1")).Status(429, ("retry-after-ms", "150")).ReplyWithCode("return 42;");

        Assert.Equal(42, await agent<int>("the answer"));

        // The waits are the provider's, not the backoff's (10 ms, jittered): read from the retry reports, not timed.
        var retries = progress.Where(p => p.Stage == HoleProgressStage.RetryingModel).ToList();
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(150)], retries.Select(r => r.RetryDelay!.Value));
        Assert.All(retries, r => Assert.Contains("429", r.Detail, StringComparison.Ordinal));
        Assert.Equal(2, session.Stats.ModelRetries);
        await AssertIntactAsync(session);
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_limit_fails_at_once_and_says_so()
    {
        await using var session = await SessionAsync(Fast());
        AgentSession.Current = session;
        _server.Status(429, ("Retry-After", "120"));

        var error = await Assert.ThrowsAsync<HoleModelException>(() => agent<int>("the answer"));

        Assert.Single(_server.Requests);
        Assert.Equal(429, error.StatusCode);
        Assert.Contains("OverTheWireTests.cs:", error.Message, StringComparison.Ordinal);
        Assert.Contains("asked to wait 2 min", error.Message, StringComparison.Ordinal);
        Assert.Contains("HoleOptions.ModelRetry.MaxDelay = 2 s", error.Message, StringComparison.Ordinal);
        AssertSaysEachThingOnce(error.Message);
        await AssertIntactAsync(session);
    }

    [Fact]
    public async Task A_server_that_hangs_hits_the_model_timeout_with_an_error_naming_the_site_and_the_limit()
    {
        // A first call, with no tight limit, warms the client and its connection, so the limit goes to the hang alone.
        var client = _server.ChatClient();
        await using (var warm = new AgentSession(client, Fast()))
        {
            _server.ReplyWithCode("return 0;");
            Assert.Equal(0, (await warm.ExecuteAsync<int>("return 0;")).Value);
            using (warm.Enter())
            {
                Assert.Equal(0, await agent<int>("zero"));
            }
        }

        await using var session = new AgentSession(client, Fast(o => o.ModelTimeout = TimeSpan.FromSeconds(1)));
        Assert.True((await session.ExecuteAsync<int>("var kept = 7; return kept;")).IsAccepted);
        AgentSession.Current = session;
        _server.Hang();

        var error = await Assert.ThrowsAsync<HoleTimeoutException>(() => agent<int>("the answer"));

        Assert.Equal("HoleOptions.ModelTimeout", error.Limit);
        Assert.Equal(TimeSpan.FromSeconds(1), error.Timeout);
        Assert.Contains("OverTheWireTests.cs:", error.Location, StringComparison.Ordinal);
        Assert.Contains("within HoleOptions.ModelTimeout = 1 s", error.Message, StringComparison.Ordinal);
        Assert.Contains(FakeOpenAIServer.Model, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, session.Stats.ModelRetries);   // a hang is not retried: it would only hang again
        AssertSaysEachThingOnce(error.Message);
        await AssertIntactAsync(session);
    }

    [Fact]
    public async Task A_server_that_keeps_closing_the_connection_fails_once_with_every_try_counted()
    {
        await using var session = await SessionAsync(Fast());
        AgentSession.Current = session;
        _server.CloseConnection().CloseConnection().CloseConnection();

        var error = await Assert.ThrowsAsync<HoleModelException>(() => agent<int>("the answer"));

        Assert.Equal(3, error.Tries);
        Assert.Equal(3, _server.Requests.Count);
        Assert.Contains("OverTheWireTests.cs:", error.Message, StringComparison.Ordinal);
        Assert.Contains("failed on all 3 tries", error.Message, StringComparison.Ordinal);
        Assert.Contains("HoleOptions.ModelRetry.MaxRetries = 2", error.Message, StringComparison.Ordinal);
        AssertSaysEachThingOnce(error.Message);
        await AssertIntactAsync(session);
    }

    [Fact]
    public async Task A_connection_closed_once_is_retried()
    {
        await using var session = await SessionAsync(Fast());
        AgentSession.Current = session;
        _server.CloseConnection().ReplyWithCode("return 42;");

        Assert.Equal(42, await agent<int>("the answer"));
        Assert.Equal(1, session.Stats.ModelRetries);
        await AssertIntactAsync(session);
    }

    [Fact]
    public async Task A_rejected_key_is_not_retried_and_the_error_says_to_check_it()
    {
        await using var session = await SessionAsync(Fast());
        AgentSession.Current = session;
        _server.Status(401);

        var error = await Assert.ThrowsAsync<HoleModelException>(() => agent<int>("the answer"));

        Assert.Single(_server.Requests);
        Assert.Equal(401, error.StatusCode);
        Assert.Equal(1, error.Tries);
        Assert.Contains("check the API key", error.Message, StringComparison.Ordinal);
        AssertSaysEachThingOnce(error.Message);
        await AssertIntactAsync(session);
    }
}
