using Holes.Testing;
using Microsoft.Extensions.AI;
using static Holes.Agents;

namespace Holes.Tests.Session;

/// <summary>
/// A session with several models: chosen per scope (<c>UseModel</c>), per method (<c>[HoleModel]</c>, read by the
/// generator), and by a fill for its nested holes (<c>model(key)</c>); unknown keys; what the model is told; stats.
/// </summary>
public sealed class ModelSelectionTests
{
    private const string Outer = "summarise each of docs";
    private const string Inner = "summarise doc";

    /// <summary>Three models that answer every hole the same way, so a test sees only who was asked.</summary>
    private sealed class Models
    {
        public ScriptedChatClient Default { get; } = Client("default-model");

        public ScriptedChatClient Fast { get; } = Client("fast-model");

        public ScriptedChatClient Strong { get; } = Client("strong-model");

        public AgentSession Session(HoleOptions? options = null) => new(Default, new Dictionary<string, AgentModel>
        {
            ["fast"] = new(Fast, "cheap and quick: summaries, lookups"),
            ["strong"] = new(Strong, "careful planning and hard code"),
        }, options);

        public IReadOnlyList<string> Asked(string task) =>
        [
            .. Default.Requests.Where(r => r.Task == task).Select(_ => "default"),
            .. Fast.Requests.Where(r => r.Task == task).Select(_ => "fast"),
            .. Strong.Requests.Where(r => r.Task == task).Select(_ => "strong"),
        ];

        private static ScriptedChatClient Client(string id)
        {
            var client = new ScriptedChatClient { ModelId = id, Usage = (_, _) => new UsageDetails { InputTokenCount = 10, OutputTokenCount = 1 } };
            client.WhenTask(Outer, _ => "return (await Task.WhenAll(docs.Select(doc => agent<string>(\"summarise doc\", doc)))).ToList();");
            client.WhenTask(Inner, _ => "return doc[..4];");
            client.WhenTask("the answer", _ => "return 42;");
            client.WhenTask("picks fast for its nested holes",
                _ => "using (model(\"fast\")) { return (await Task.WhenAll(docs.Select(doc => agent<string>(\"summarise doc\", doc)))).ToList(); }");
            client.WhenTask("picks fast with a using declaration",
                _ => "using var fast = model(\"fast\"); var all = await Task.WhenAll(docs.Select(doc => agent<string>(\"summarise doc\", doc))); return all.ToList();");
            client.WhenTask("picks a model that is not there", _ => "using (model(\"turbo\")) { return await agent<int>(\"the answer\"); }");
            return client;
        }
    }

    private static readonly List<string> s_docs = ["alpha beta", "gamma delta", "epsilon"];

    [Fact]
    public async Task A_session_lists_its_models_by_key_and_fills_with_the_default_unless_told_otherwise()
    {
        var models = new Models();
        await using var session = models.Session();
        using var entered = session.Enter();

        Assert.Equal(["default", "fast", "strong"], session.Models.Keys);
        Assert.Same(models.Fast, session.Models["fast"].Client);
        Assert.Equal("cheap and quick: summaries, lookups", session.Models["fast"].Description);
        Assert.Equal(42, await agent<int>("the answer"));
        Assert.Equal(["default"], models.Asked("the answer"));
    }

    [Fact]
    public async Task UseModel_scope_flows_into_the_holes_inside_their_nested_holes_and_parallel_ones()
    {
        var models = new Models();
        await using var session = models.Session();
        using var entered = session.Enter();

        List<string> summaries;
        using (session.UseModel("fast"))
        {
            var docs = s_docs;
            summaries = await agent<List<string>>(Outer, docs);
        }

        Assert.Equal(["alph", "gamm", "epsi"], summaries);
        Assert.Equal(["fast"], models.Asked(Outer));
        Assert.Equal(["fast", "fast", "fast"], models.Asked(Inner));

        // After the scope, the default again; parallel holes started inside a scope each keep it.
        Assert.Equal(42, await agent<int>("the answer"));
        Assert.Equal(["default"], models.Asked("the answer"));
        using (session.UseModel("strong"))
        {
            await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => agent<int>("the answer")));
        }

        Assert.Equal(["default", "strong", "strong", "strong"], models.Asked("the answer"));
    }

    [HoleModel("strong")]
    private static Task<List<string>> PlanAsync(List<string> docs) => agent<List<string>>(Outer, docs);

    [Fact]
    public async Task HoleModel_on_a_method_picks_its_model_which_nested_holes_inherit_and_a_scope_overrides()
    {
        var models = new Models();
        await using var session = models.Session();
        using var entered = session.Enter();

        Assert.Equal(["alph", "gamm", "epsi"], await PlanAsync(s_docs));
        Assert.Equal(["strong"], models.Asked(Outer));
        Assert.Equal(["strong", "strong", "strong"], models.Asked(Inner));   // the fill's nested holes run on its hole's model

        using (session.UseModel("fast"))
        {
            await PlanAsync(s_docs);
        }

        Assert.Equal(["fast", "strong"], models.Asked(Outer).Order());
    }

    [Fact]
    public async Task A_fill_picks_a_model_for_its_nested_holes_and_the_hole_message_lists_the_models()
    {
        var models = new Models();
        await using var session = models.Session();
        using var entered = session.Enter();

        var docs = s_docs;
        var summaries = await agent<List<string>>("picks fast for its nested holes", docs);

        Assert.Equal(["alph", "gamm", "epsi"], summaries);
        Assert.Equal(["default"], models.Asked("picks fast for its nested holes"));
        Assert.Equal(["fast", "fast", "fast"], models.Asked(Inner));

        var prompt = models.Default.Requests[0].Prompt;
        Assert.Contains("## Models\n", prompt, StringComparison.Ordinal);
        Assert.Contains("unless that code picks another for a block: `using (model(\"fast\")) { ... }`.", prompt, StringComparison.Ordinal);
        Assert.Contains("- `default` (default-model): the session's default model\n", prompt, StringComparison.Ordinal);
        Assert.Contains("- `fast` (fast-model): cheap and quick: summaries, lookups\n", prompt, StringComparison.Ordinal);
        Assert.Contains("- `strong` (strong-model): careful planning and hard code\n", prompt, StringComparison.Ordinal);
        Assert.Contains("They run on `default`, this hole's model, unless you pick another (see Models).", prompt, StringComparison.Ordinal);
        Assert.Contains("They run on `fast`, this hole's model", models.Fast.Requests[0].Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_using_declaration_of_a_model_scope_is_neither_kept_nor_handed_to_nested_holes()
    {
        var models = new Models();
        await using var session = models.Session();
        using var entered = session.Enter();

        var docs = s_docs;
        Assert.Equal(["alph", "gamm", "epsi"], await agent<List<string>>("picks fast with a using declaration", docs));

        Assert.Equal(["fast", "fast", "fast"], models.Asked(Inner));
        Assert.DoesNotContain("`fast`" + ": ", models.Fast.Requests[0].Prompt, StringComparison.Ordinal);   // split: the prompt quotes this source
        Assert.Equal(["all"], session.Variables.Select(v => v.Name));
    }

    [Fact]
    public async Task A_session_with_one_model_says_nothing_about_models()
    {
        var model = new ScriptedChatClient().ReplyWithCode("return 1;");
        await using var session = new AgentSession(model);
        using var entered = session.Enter();

        await agent<int>("one");

        // Split, since the prompt quotes this source.
        Assert.DoesNotContain("## " + "Models", model.Requests[0].Prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("this hole's " + "model", model.Requests[0].Prompt, StringComparison.Ordinal);
        Assert.Equal([AgentSession.DefaultModelKey], session.Models.Keys);
    }

    [Fact]
    public async Task An_unknown_key_is_an_error_naming_the_site_and_the_keys_there_are()
    {
        var models = new Models();
        await using var session = models.Session();
        using var entered = session.Enter();

        var scope = Assert.Throws<HoleModelNotFoundException>(() => session.UseModel("turbo"));
        Assert.Equal("turbo", scope.Key);
        Assert.Equal(["default", "fast", "strong"], scope.AvailableKeys);
        Assert.StartsWith("ModelSelectionTests.cs:", scope.Location, StringComparison.Ordinal);
        Assert.Contains($"session.UseModel at {scope.Location} asks for the model \"turbo\", which this session does not have. " +
            "Its models: \"default\", \"fast\", \"strong\".", scope.Message, StringComparison.Ordinal);

        var attribute = await Assert.ThrowsAsync<HoleModelNotFoundException>(() => UnknownModelAsync());
        Assert.StartsWith("ModelSelectionTests.cs:", attribute.Location, StringComparison.Ordinal);
        Assert.Contains("[HoleModel(\"turbo\")]", attribute.Message, StringComparison.Ordinal);
        Assert.Empty(models.Default.Requests);

        var fill = await Assert.ThrowsAsync<HoleModelNotFoundException>(() => agent<int>("picks a model that is not there"));
        Assert.Matches(@"^ModelSelectionTests\.cs:\d+>fill\.cs:1$", fill.Location);
        Assert.Contains("The code of the hole at ModelSelectionTests.cs:", fill.Message, StringComparison.Ordinal);
        Assert.Equal(["default", "fast", "strong"], fill.AvailableKeys);

        Assert.Equal(42, await agent<int>("the answer"));   // the session is intact
    }

    [HoleModel("turbo")]
    private static Task<int> UnknownModelAsync() => agent<int>("the answer");

    [Fact]
    public async Task Stats_count_calls_and_tokens_per_key_and_per_model_id()
    {
        var models = new Models();
        await using var session = models.Session();
        using var entered = session.Enter();

        await agent<int>("the answer");
        using (session.UseModel("fast"))
        {
            var docs = s_docs;
            await agent<List<string>>(Outer, docs);
        }

        var stats = session.Stats;
        Assert.Equal(1, stats.ModelKeys["default"].Calls);
        Assert.Equal(4, stats.ModelKeys["fast"].Calls);
        Assert.Equal(40, stats.ModelKeys["fast"].InputTokens);
        Assert.False(stats.ModelKeys.ContainsKey("strong"));
        Assert.Equal(4, stats.Models["fast-model"].Calls);
        Assert.Equal(50, stats.InputTokens);
    }

    [Fact]
    public async Task Only_the_default_model_is_sent_the_options_model_id()
    {
        var models = new Models();
        await using var session = models.Session(new HoleOptions { ChatOptions = new ChatOptions { ModelId = "gpt-big", Temperature = 0 } });
        using var entered = session.Enter();

        await agent<int>("the answer");
        using (session.UseModel("fast"))
        {
            await agent<int>("the answer");
        }

        Assert.Equal("gpt-big", models.Default.Requests[0].Options?.ModelId);
        Assert.Null(models.Fast.Requests[0].Options?.ModelId);
        Assert.Equal(0, models.Fast.Requests[0].Options?.Temperature);
        Assert.Equal("gpt-big", session.Stats.Models.Keys.Single(k => k != "fast-model"));
    }

    [Fact]
    public void Model_keys_are_checked_when_the_session_is_created()
    {
        var client = new ScriptedChatClient();
        var reserved = Assert.Throws<ArgumentException>(() => new AgentSession(client, new Dictionary<string, AgentModel> { ["default"] = new(client) }));
        Assert.Contains("\"default\" is the key of the session's own chat client", reserved.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new AgentSession(client, new Dictionary<string, AgentModel> { [" "] = new(client) }));
        Assert.Throws<ArgumentException>(() => new AgentSession(client, new Dictionary<string, AgentModel> { ["fast"] = null! }));
    }

    [Fact]
    public async Task Descriptions_come_from_the_options_when_a_model_has_none()
    {
        var models = new Models();
        var options = new HoleOptions();
        options.ModelDescriptions["default"] = "the big one";
        await using var session = new AgentSession(models.Default, new Dictionary<string, AgentModel> { ["fast"] = new(models.Fast) }, options);
        using var entered = session.Enter();

        await agent<int>("the answer");

        Assert.Contains("- `default` (default-model): the big one\n- `fast` (fast-model): (no description)\n", models.Default.Requests[0].Prompt, StringComparison.Ordinal);
        Assert.Equal("the big one", session.Models["default"].Description);
    }
}
