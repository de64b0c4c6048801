using System.Text.RegularExpressions;
using Holes.Pipeline.Nesting;
using Holes.Pipeline.Prompt;
using Holes.Runtime;
using Holes.Testing;
using Microsoft.Extensions.AI;
using static Holes.Agents;

namespace Holes.Tests.Session;

/// <summary>
/// The prompt is laid out for providers' prefix caching: a byte-identical system message, then the session context,
/// which only grows at its end, then the hole's own section; retries append to the conversation.
/// </summary>
public sealed partial class PromptLayoutTests
{
    private const string Each = "one line about each of topics";
    private const string One = "one line about topic";

    // Built from pieces: the prompts quote this file's source, which must not contain the texts the tests look for.
    private const string Marker = " /* <-- this " + "hole */";
    private const string AuthorDeclaration = "internal sealed record " + "Author(";

    private static ScriptedChatClient Model()
    {
        var model = new ScriptedChatClient();
        model.When(r => r.Task == Each && r.Attempt == 1, _ => FillReplies.Code("return lines;"));   // CS0103, then a retry
        model.When(r => r.Task == Each && r.Attempt == 2,
            _ => FillReplies.Code("return await Task.WhenAll(topics.Select(topic => agent<string>(\"one line about topic\", topic)));"));
        model.WhenTask(One, _ => "return topic + \": a line\";");
        model.WhenTask("a person", _ => "return new Author(\"Ada\", 1815);");
        return model;
    }

    private static string Context(HoleRequest request) => request.Prompt[..request.Prompt.IndexOf("\n# Hole at ", StringComparison.Ordinal)];

    [Fact]
    public async Task Every_request_starts_with_the_system_message_and_a_context_every_later_one_extends()
    {
        var model = Model();
        await using var session = new AgentSession(model);
        using var entered = session.Enter();

        var topics = new[] { "Roslyn", "LINQ", "Span<T>" };
        await agent<string[]>(Each, topics);
        await agent<Author>("a person");
        await agent<string[]>(Each, topics);

        var requests = model.Requests;
        Assert.Single(requests.Select(r => r.SystemPrompt).Distinct());
        Assert.Single(requests.Select(r => r.Messages[0]).Distinct());   // the very same message object
        var contexts = requests.Select(Context).OrderBy(c => c.Length).ToList();
        for (var i = 1; i < contexts.Count; i++)
        {
            Assert.StartsWith(contexts[i - 1], contexts[i], StringComparison.Ordinal);
        }

        Assert.StartsWith("# Session context\n", contexts[0], StringComparison.Ordinal);

        // The Author hole needed a declaration the context did not have yet: it was appended, once.
        Assert.Single(NotIn(AuthorDeclaration, contexts[^1]));
        Assert.DoesNotContain(AuthorDeclaration, contexts[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_appends_to_the_conversation()
    {
        var model = Model();
        await using var session = new AgentSession(model);
        using var entered = session.Enter();

        var topics = new[] { "Roslyn" };
        await agent<string[]>(Each, topics);

        var attempts = model.Requests.Where(r => r.Task == Each).OrderBy(r => r.Attempt).ToList();
        Assert.Equal([1, 2], attempts.Select(r => r.Attempt));
        Assert.Equal(attempts[0].Messages, attempts[1].Messages.Take(attempts[0].Messages.Count));
        Assert.Equal(ChatRole.Assistant, attempts[1].Messages[attempts[0].Messages.Count].Role);
    }

    [Fact]
    public async Task The_source_is_numbered_shown_once_and_each_hole_marks_its_own_line()
    {
        var model = Model();
        await using var session = new AgentSession(model);
        using var entered = session.Enter();

        var first = await agent<Author>("a person");
        var second = await agent<Author>("a person");

        Assert.Equal(first, second);
        var prompts = model.Requests.Select(r => r.Prompt).ToList();
        Assert.Equal(Context(model.Requests[0]), Context(model.Requests[1]));   // nothing new for the second hole
        var context = Context(model.Requests[1]);
        Assert.Single(NotIn("var first = await agent<Author>(\"a person\");", context));
        Assert.Contains("## Source of PromptLayoutTests.cs, in PromptLayoutTests.The_source_is_numbered_shown_once_and_each_hole_marks_its_own_line\n", context, StringComparison.Ordinal);

        var line = Regex.Match(prompts[0], @"Line (\d+) of PromptLayoutTests\.cs").Groups[1].Value;
        // Numbers are padded to the widest in their block.
        Assert.Matches(new Regex($"\n *{line} " + Regex.Escape("|     var first = await agent<Author>(\"a person\");\n"), RegexOptions.None, TimeSpan.FromSeconds(1)), context);
        Assert.Contains($"\n{line} |     var first = await agent<Author>(\"a person\"){Marker};\n", prompts[0][context.Length..], StringComparison.Ordinal);
        Assert.Contains($"\n{int.Parse(line, System.Globalization.CultureInfo.InvariantCulture) + 1} |     var second = await agent<Author>(\"a person\"){Marker};\n",
            prompts[1][context.Length..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nested_hole_sees_its_parents_code_once_with_its_call_marked()
    {
        var model = Model();
        await using var session = new AgentSession(model);
        using var entered = session.Enter();

        var topics = new[] { "Roslyn", "LINQ" };
        await agent<string[]>(Each, topics);

        var nested = model.Requests.First(r => r.Task == One).Prompt;
        var own = nested[Context(model.Requests.First(r => r.Task == One)).Length..];
        Assert.Contains("## Enclosing holes (outermost first); your hole is the call marked in the last one's code\n1. Task: " + Each + "\n```csharp\n" +
            "return await Task.WhenAll(topics.Select(topic => agent<string>(\"one line about topic\", topic)" + Marker + "));\n```\n", own, StringComparison.Ordinal);
        Assert.Single(NotIn("topics.Select(topic =>", own));
        Assert.DoesNotContain("## Source around the hole", own, StringComparison.Ordinal);
        Assert.DoesNotContain("## Where the hole is", own, StringComparison.Ordinal);

        // Sibling holes share everything up to their values.
        var siblings = model.Requests.Where(r => r.Task == One).Select(r => r.Prompt).ToList();
        var shared = siblings[0][..siblings[0].IndexOf("\n## Values handed in\n", StringComparison.Ordinal)];
        Assert.All(siblings, s => Assert.StartsWith(shared, s, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_fenced_system_message_is_the_same_for_every_hole_too()
    {
        var model = Model();
        await using var session = new AgentSession(model, new HoleOptions { UseStructuredOutput = false });
        using var entered = session.Enter();

        await agent<Author>("a person");
        await agent<Author>("a person");

        Assert.Single(model.Requests.Select(r => r.SystemPrompt).Distinct());
        Assert.Contains("fenced block", model.Requests[0].SystemPrompt, StringComparison.Ordinal);
        Assert.Contains("# What you are given\nThe user message has two parts. First the session context", model.Requests[0].SystemPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_context_stops_growing_and_the_hole_section_carries_what_it_lacks()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        var context = new PromptContext(maxLength: 10);
        var models = session.Engine.Models;
        string Prompt(int line, string declaration)
        {
            var site = new HoleSite("Big.cs", line, 13, "Big.Run", "int", [], [], [declaration], "void Run()\n{\n    var x = await agent<int>(\"t\")" + Marker + ";\n}");
            return PromptBuilder.Hole(new HoleContext(session, site, "t", [], null), [], session.Options, true, context, models, models.Default).Text!;
        }

        var first = Prompt(12, "record A(int X);");
        var second = Prompt(40, "record B(int Y);");
        var firstContext = first[..first.IndexOf("\n# Hole at ", StringComparison.Ordinal)];

        Assert.Contains("record A(int X);", firstContext, StringComparison.Ordinal);
        Assert.Contains("10 | void Run()", firstContext, StringComparison.Ordinal);
        Assert.Equal(firstContext, second[..second.IndexOf("\n# Hole at ", StringComparison.Ordinal)]);
        var own = second[firstContext.Length..];
        Assert.Contains("\n## Source around the hole (the hole is marked)\n```csharp\nvoid Run()", own, StringComparison.Ordinal);
        Assert.Contains("\n## Declarations of the program's types (not in the session context)\n```csharp\nrecord B(int Y);\n```\n", own, StringComparison.Ordinal);

        // A hole whose source the full context already shows still points into it.
        var third = Prompt(12, "record A(int X);");
        Assert.Contains("## Where the hole is\nLine 12 of Big.cs, in Big.Run", third, StringComparison.Ordinal);
        Assert.DoesNotContain("not in the session context", third, StringComparison.Ordinal);
    }

    private static MatchCollection NotIn(string text, string within) => Regex.Matches(within, Regex.Escape(text), RegexOptions.None, TimeSpan.FromSeconds(1));
}

/// <summary>An author.</summary>
/// <param name="Name">The name.</param>
/// <param name="Born">The year of birth.</param>
internal sealed record Author(string Name, int Born);
