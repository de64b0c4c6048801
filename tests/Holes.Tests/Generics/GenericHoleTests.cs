using Holes.Rules;
using Holes.Testing;
using static Holes.Agents;

namespace Holes.Tests.Generics;

/// <summary>
/// Holes in generic methods: the generator spells the site's types open, and at run time the engine describes,
/// compiles and checks the hole against the types it has this time. Whatever the site says, the value a fill
/// returns is checked against the hole's type; a mismatch is a rejected attempt (HOLE034), never default(T).
/// </summary>
public sealed class GenericHoleTests : IAsyncDisposable
{
    private readonly ScriptedChatClient _model = new();
    private readonly AgentSession _session;

    public GenericHoleTests()
    {
        _session = new AgentSession(_model);
        AgentSession.Current = _session;
    }

    public ValueTask DisposeAsync()
    {
        AgentSession.Current = null;
        return _session.DisposeAsync();
    }

    private static async Task<T> Ask<T>(string task) => await agent<T>(task);

    private static Task<List<T>> LikeAsync<T>(T seed, IEnumerable<T> items) => agent<List<T>>("the items like seed", seed, items);

    [Fact]
    public async Task Ask_of_int_is_described_compiled_and_returned_as_int()
    {
        _model.ReplyWithCode("return 6 * 7;");

        var answer = await Ask<int>("the answer");

        Assert.Equal(42, answer);
        var prompt = _model.Requests.Single().Prompt;
        Assert.Contains("where the value converts to `int`.", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("`object`", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("`T`", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_of_a_list_gets_the_list_type_and_a_wrong_fill_is_rejected_by_the_compiler()
    {
        _model.ReplyWithCode("return 42;").ReplyWithCode("return new List<string> { \"a\", \"b\" };");

        var list = await Ask<List<string>>("two letters");

        Assert.Equal(["a", "b"], list);
        Assert.Contains("converts to `System.Collections.Generic.List<string>`.", _model.Requests[0].Prompt, StringComparison.Ordinal);
        Assert.Equal(2, _model.Requests[1].Attempt);
        Assert.Contains("CS0029", _model.Requests[1].LastMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Type_parameters_of_values_are_inferred_from_the_result_and_the_values()
    {
        _model.ReplyWithCode("return items.Where(i => i > seed).ToList();");

        // The value's class is a LINQ iterator no fill can name; its IEnumerable<int> is what the site spelled.
        var result = await LikeAsync(2, new[] { 1, 2, 3, 4 }.Where(i => i != 4));

        Assert.Equal([3], result);
        var prompt = _model.Requests.Single().Prompt;
        Assert.Contains("converts to `System.Collections.Generic.List<int>`.", prompt, StringComparison.Ordinal);
        Assert.Contains("- `seed`: `int` = 2", prompt, StringComparison.Ordinal);
        Assert.Contains("- `items`: `System.Collections.Generic.IEnumerable<int>`", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_programs_own_type_is_declared_to_the_model_when_it_is_a_type_argument()
    {
        _model.ReplyWithCode("return new Holes.Tests.Generics.Planet(\"Mars\", 2);");

        var planet = await Ask<Planet>("the planet with two moons");

        Assert.Equal(new Planet("Mars", 2), planet);
        var prompt = _model.Requests.Single().Prompt;
        Assert.Contains("converts to `Holes.Tests.Generics.Planet`.", prompt, StringComparison.Ordinal);
        Assert.Contains("record Planet", prompt, StringComparison.Ordinal);
        Assert.Contains("public int Moons { get; init; }", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("<Clone>$", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_rejected_with_HOLE034_and_retried()
    {
        // The nested hole sits in a generic local function of the fill, so it is compiled against object; the check on
        // the value it returns is what keeps the string out of an int.
        _model.WhenTask("outer", _ => "async Task<U> Sub<U>(string t) => await agent<U>(t);\nreturn await Sub<int>(\"inner\") + 1;");
        _model.When(r => r.Task == "inner" && r.Attempt == 1, _ => FillReplies.Code("return \"forty-one\";"));
        _model.When(r => r.Task == "inner" && r.Attempt == 2, _ => FillReplies.Code("return 41;"));

        var answer = await Ask<int>("outer");

        Assert.Equal(42, answer);
        var retry = _model.Requests.Single(r => r.Task == "inner" && r.Attempt == 2).LastMessage;
        Assert.Contains(HoleDiagnosticIds.ResultTypeMismatch, retry, StringComparison.Ordinal);
        Assert.Contains("returned a value of type 'string', but the hole needs a 'int'", retry, StringComparison.Ordinal);
        Assert.Equal(1, _session.Stats.Rejected);
        Assert.Empty(_session.Variables);
    }

    [Fact]
    public async Task ExecuteAsync_checks_the_value_against_a_type_the_code_could_not_name()
    {
        var wrong = await _session.ExecuteAsync<Secret>("return 5;");

        Assert.Equal(HoleStatus.Rejected, wrong.Status);
        var diagnostic = Assert.Single(wrong.Diagnostics);
        Assert.Equal(HoleDiagnosticIds.ResultTypeMismatch, diagnostic.Id);
        Assert.Contains("GenericHoleTests.Secret'", diagnostic.Message, StringComparison.Ordinal);
        Assert.Null(wrong.Value);

        var secret = new Secret();
        var right = await _session.ExecuteAsync<Secret>("return s;", new HoleBindings().Add("s", secret));
        Assert.True(right.IsAccepted, string.Join("\n", right.Diagnostics));
        Assert.Same(secret, right.Value);
    }

    [Fact]
    public async Task Null_is_a_mismatch_for_a_value_type_and_fine_for_a_reference_type()
    {
        _model.WhenTask("outer", _ => "async Task<U> Sub<U>(string t) => await agent<U>(t);\nreturn await Sub<int>(\"inner\");");
        _model.When(r => r.Task == "inner" && r.Attempt == 1, _ => FillReplies.Code("return null;"));
        _model.When(r => r.Task == "inner" && r.Attempt == 2, _ => FillReplies.Code("return 7;"));

        Assert.Equal(7, await Ask<int>("outer"));
        var retry = _model.Requests.Single(r => r.Task == "inner" && r.Attempt == 2).LastMessage;
        Assert.Contains("returned null, but the hole needs a 'int'", retry, StringComparison.Ordinal);

        var result = await _session.ExecuteAsync<Secret?>("return null;");
        Assert.True(result.IsAccepted, string.Join("\n", result.Diagnostics));
        Assert.Null(result.Value);
    }

    [Fact]
    public async Task A_site_spelled_object_for_a_more_specific_result_is_described_with_the_real_type()
    {
        // What a generator that could not spell the type (or an older one) emitted for a hole in a generic method.
        var site = new Holes.Runtime.HoleSite("/src/Legacy.cs", 3, 1, "Legacy.Ask", "global::System.Object", [], [], [], "");
        _model.ReplyWithCode("return 1;");

        Assert.Equal(1, await Holes.Runtime.HoleDispatcher.FillAsync<int>(site, "one", [], default));
        Assert.Contains("converts to `int`.", _model.Requests.Single().Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_result_type_no_fill_can_name_is_rejected_before_the_model_is_asked()
    {
        var error = await Assert.ThrowsAsync<HoleRejectedException>(() => Ask<Secret>("a secret"));

        Assert.Empty(_model.Requests);
        var diagnostic = Assert.Single(Assert.Single(error.Attempts).Diagnostics);
        Assert.Equal(HoleDiagnosticIds.UnusableResultType, diagnostic.Id);
        Assert.Contains("GenericHoleTests.Secret'", error.Message, StringComparison.Ordinal);
        Assert.Contains("internal or public", error.Message, StringComparison.Ordinal);
    }

    private sealed class Secret;
}

/// <summary>A data record the tests ask for through a generic hole.</summary>
/// <param name="Name">The planet's name.</param>
/// <param name="Moons">How many moons it has.</param>
public sealed record Planet(string Name, int Moons);
