using Holes.Pipeline.Prompt;
using Holes.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Holes.Agents;

namespace Holes.Tests.Session;

public class SessionTests
{
    [Fact]
    public async Task Variables_persist_typed_and_can_be_redeclared_with_another_type()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        Assert.True((await session.ExecuteAsync<int>("var list = new List<int> { 1, 2 }; var label = \"two\"; return list.Count;")).IsAccepted);

        Assert.Equal(["list", "label"], session.Variables.Select(v => v.Name));
        Assert.Equal("global::System.Collections.Generic.List<int>", session.Variables[0].TypeName);
        Assert.Equal("string", session.Variables[1].TypeName);

        var grown = await session.ExecuteAsync<int>("list.Add(3); return list.Sum();");
        Assert.Equal(6, grown.Value);

        var redeclared = await session.ExecuteAsync<string>("var label = list.Count; return label.ToString();");
        Assert.Equal("3", redeclared.Value);
        Assert.Equal("int", session.Variables.Single(v => v.Name == "label").TypeName);
    }

    [Theory]
    [InlineData("return Task.FromResult(3);")]
    [InlineData("await Task.Yield(); return Task.FromResult(3);")]
    public async Task A_hole_whose_type_is_a_task_gets_the_task_itself(string code)
    {
        // Fills that await and fills that do not are called differently; neither may unwrap a Task-typed result.
        await using var session = new AgentSession(new ScriptedChatClient());
        var result = await session.ExecuteAsync<Task<int>>(code);

        Assert.True(result.IsAccepted, string.Join("\n", result.Diagnostics));
        Assert.Equal(3, await result.Value!);
    }

    [Fact]
    public async Task Fills_reach_the_hosts_internal_types_and_members()
    {
        // The generator grants the fill assembly InternalsVisibleTo; that alone makes internal members bind.
        await using var session = new AgentSession(new ScriptedChatClient());
        var result = await session.ExecuteAsync<int>("return new Holes.Tests.Session.InternalProbe().Secret + Holes.Tests.Session.InternalProbe.Shared;");

        Assert.True(result.IsAccepted, string.Join("\n", result.Diagnostics));
        Assert.Equal(11, result.Value);
    }

    [Fact]
    public async Task A_lone_expression_is_returned()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        Assert.Equal(3, (await session.ExecuteAsync<int>("1 + 2")).Value);
    }

    [Fact]
    public async Task Values_of_unnameable_types_persist_as_object()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        await session.ExecuteAsync<int>("var point = new { X = 1, Y = 2 }; return point.X;");
        Assert.Equal("object", session.Variables.Single().TypeName);
        var later = await session.ExecuteAsync<string>("return point.ToString() ?? \"\";");
        Assert.Equal("{ X = 1, Y = 2 }", later.Value);
    }

    [Fact]
    public async Task Bindings_are_typed_as_declared_and_shadow_session_variables()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        await session.ExecuteAsync<int>("var n = 1; return n;");
        IReadOnlyList<int> readOnly = [5, 6];
        var result = await session.ExecuteAsync<int>("return n + items.Count;", new HoleBindings().Add("n", 40).Add("items", readOnly));
        Assert.Equal(42, result.Value);

        var typed = await session.ExecuteAsync<int>("items.Add(1); return 0;", new HoleBindings().Add("items", readOnly));
        Assert.Equal("CS1061", Assert.Single(typed.Diagnostics).Id);
    }

    [Fact]
    public async Task Internal_types_of_the_host_are_usable_in_fills()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        var result = await session.ExecuteAsync<HostRecord>("return new Holes.Tests.Session.HostRecord(\"a\", seed.Count + 1);", new HoleBindings().Add("seed", new HostRecord("s", 1)));
        Assert.Equal(new HostRecord("a", 2), result.Value);
    }

    [Fact]
    public async Task Diagnostics_point_at_the_code_as_written_even_where_the_engine_inserted_checks()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        var result = await session.ExecuteAsync<int>("var total = 0;\nforeach (var x in new[] { 1, 2 }) { total += x; }\nfor (var i = 0; i < 2; i++) total += i; return totl;");
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CS0103", diagnostic.Id);
        Assert.Equal((3, 48), (diagnostic.Line, diagnostic.Column));
    }

    [Fact]
    public async Task Missing_return_gets_a_clear_diagnostic()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        var result = await session.ExecuteAsync<int>("var x = 1;");
        Assert.Equal("HOLE0002", Assert.Single(result.Diagnostics).Id);
    }

    [Fact]
    public async Task Parallel_fills_commit_without_losing_each_others_variables()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        var runs = Enumerable.Range(0, 16).Select(i => session.ExecuteAsync<int>($"var v{i} = {i}; return v{i};"));
        var results = await Task.WhenAll(runs);
        Assert.All(results, r => Assert.True(r.IsAccepted));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => $"v{i}").Order(), session.Variables.Select(v => v.Name).Order());
    }

    [Fact]
    public async Task The_system_prompt_is_byte_identical_across_holes_and_the_hole_prompt_lists_the_context()
    {
        var model = new ScriptedChatClient().ReplyWithCode("var count = 3; return count;").ReplyWithCode("return count * 2;");
        await using var session = new AgentSession(model);
        AgentSession.Current = session;
        var seed = new List<string> { "a", "b" };

        Assert.Equal(3, await agent<int>("how many", seed));
        Assert.Equal(6, await agent<int>("twice as many"));

        Assert.All(model.Requests, r => Assert.Equal(SystemPrompt.Text, r.SystemPrompt));
        var first = model.Requests[0].Prompt;
        Assert.Contains("`seed`: `System.Collections.Generic.List<string>` = [\"a\", \"b\"] (2 items)", first, StringComparison.Ordinal);
        Assert.Contains("## Session variables\n(none)", first, StringComparison.Ordinal);
        Assert.Contains("## Task\nhow many", first, StringComparison.Ordinal);
        var second = model.Requests[1].Prompt;
        Assert.Contains("- `count`: `int` = 3", second, StringComparison.Ordinal);
        Assert.Contains("SessionTests.cs:", second, StringComparison.Ordinal);
        Assert.Equal("json", model.Requests[0].Options?.ResponseFormat is Microsoft.Extensions.AI.ChatResponseFormatJson ? "json" : "text");
    }

    [Fact]
    public async Task Stats_count_holes_attempts_rejections_tokens_and_time()
    {
        var model = new ScriptedChatClient
        {
            ModelId = "test-model",
            Usage = (_, _) => new Microsoft.Extensions.AI.UsageDetails { InputTokenCount = 100, OutputTokenCount = 7 },
        }.ReplyWithCode("return nope;").ReplyWithCode("return 1;");
        await using var session = new AgentSession(model);
        AgentSession.Current = session;
        await agent<int>("one");
        await session.ExecuteAsync<int>("return 2;");

        var stats = session.Stats;
        Assert.Equal(2, stats.Holes);   // the model's hole and the ExecuteAsync call
        Assert.Equal(3, stats.Attempts);
        Assert.Equal(2, stats.Accepted);
        Assert.Equal(1, stats.Retries);
        Assert.Equal(1, stats.RejectionsByCause[RejectionCause.Compile]);
        Assert.Equal(2, stats.ModelCalls);
        Assert.Equal(0, stats.ModelCallsWithoutUsage);
        Assert.Equal(200, stats.InputTokens);
        Assert.Equal(14, stats.OutputTokens);
        Assert.Equal(200, stats.Models["test-model"].InputTokens);
        Assert.Contains("tokens 200 in / 14 out", stats.ToString(), StringComparison.Ordinal);
        Assert.True(stats.EngineTime > TimeSpan.Zero);
    }

    [Fact]
    public async Task Unreported_usage_stays_unknown_and_is_never_estimated()
    {
        var model = new ScriptedChatClient().ReplyWithCode("return 1;");
        await using var session = new AgentSession(model);
        AgentSession.Current = session;
        Assert.Equal(0, session.Stats.ModelCalls);
        Assert.Contains("tokens none (no model calls)", session.Stats.ToString(), StringComparison.Ordinal);

        await agent<int>("one");

        var stats = session.Stats;
        Assert.Null(stats.InputTokens);
        Assert.Null(stats.OutputTokens);
        Assert.Equal(1, stats.ModelCallsWithoutUsage);
        Assert.Null(stats.Models["unknown"].InputTokens);
        Assert.Contains("tokens unknown (the model reported no usage)", stats.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Partly_reported_usage_says_how_many_calls_reported_none()
    {
        var calls = 0;
        var model = new ScriptedChatClient
        {
            Usage = (_, _) => Interlocked.Increment(ref calls) == 1 ? new Microsoft.Extensions.AI.UsageDetails { InputTokenCount = 50, OutputTokenCount = 5 } : null,
        }.ReplyWithCode("return nope;").ReplyWithCode("return 1;");
        await using var session = new AgentSession(model);
        AgentSession.Current = session;
        await agent<int>("one");

        var stats = session.Stats;
        Assert.Equal(50, stats.InputTokens);
        Assert.Equal(1, stats.ModelCallsWithoutUsage);
        Assert.Contains("tokens 50 in / 5 out (1 of 2 calls reported no usage)", stats.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_bound_every_wait()
    {
        var options = new HoleOptions();
        Assert.Equal(TimeSpan.FromMinutes(10), options.Timeout);
        Assert.Equal(TimeSpan.FromMinutes(2), options.ModelTimeout);
        Assert.Equal(3, options.ModelRetry.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ModelRetry.MaxDelay);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AgentSession(new ScriptedChatClient(), new HoleOptions { ModelTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AgentSession(new ScriptedChatClient(), new HoleOptions { ModelRetry = { MaxRetries = -1 } }));
    }

    [Fact]
    public async Task Without_structured_output_the_system_prompt_asks_for_a_fenced_block_and_is_the_same_for_every_hole()
    {
        var model = new ScriptedChatClient().ReplyWithText(FillReplies.Fenced("return 1;")).ReplyWithText(FillReplies.Fenced("return 2;"));
        await using var session = new AgentSession(model, new HoleOptions { UseStructuredOutput = false });
        AgentSession.Current = session;

        Assert.Equal(1, await agent<int>("one"));
        Assert.Equal(2, await agent<int>("two"));

        Assert.All(model.Requests, r => Assert.Equal(SystemPrompt.FencedText, r.SystemPrompt));
        Assert.All(model.Requests, r => Assert.Null(r.Options?.ResponseFormat));
        Assert.NotEqual(SystemPrompt.Text, SystemPrompt.FencedText);
        Assert.Contains("one fenced block: a line ```csharp", SystemPrompt.FencedText, StringComparison.Ordinal);
        Assert.DoesNotContain("Reply with one JSON object", SystemPrompt.FencedText, StringComparison.Ordinal);
        Assert.DoesNotContain("- \"code\" is the body", SystemPrompt.FencedText, StringComparison.Ordinal);
        Assert.Contains("reply with no code block and only the JSON object", SystemPrompt.FencedText, StringComparison.Ordinal);
    }
}

/// <summary>
/// Tests that set <see cref="AgentSession.Default"/> (as AddHoles does) run alone, so a test that expects no session
/// never sees theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultSessionCollection
{
    public const string Name = "AgentSession.Default";
}

[Collection(DefaultSessionCollection.Name)]
public class DependencyInjectionTests
{
    [Fact]
    public async Task AddHoles_registers_a_session_over_the_registered_chat_client()
    {
        var services = new ServiceCollection();
        services.AddSingleton<Microsoft.Extensions.AI.IChatClient>(new ScriptedChatClient());
        services.AddHoles(o => o.MaxAttempts = 2);
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<AgentSession>();
        Assert.Equal(2, session.Options.MaxAttempts);
        Assert.Equal(5, (await session.ExecuteAsync<int>("return 5;")).Value);
        Assert.Same(session, AgentSession.Default);
    }
}

internal sealed record HostRecord(string Name, int Count);

internal sealed class InternalProbe
{
    internal int Secret => 5;

    // A static member of the program that a fill may read: readonly and immutable, so not shared mutable state.
    internal static readonly int Shared = 6;
}
