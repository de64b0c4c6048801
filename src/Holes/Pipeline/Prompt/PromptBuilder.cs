using System.Text;
using Holes.Pipeline.Compile;
using Holes.Pipeline.Model;
using Holes.Pipeline.Nesting;
using Holes.Runtime;
using Microsoft.Extensions.AI;

namespace Holes.Pipeline.Prompt;

/// <summary>
/// Builds the hole's message (the session's context, then what the model must produce, what it is handed, where the
/// hole is) and the follow-up message after a rejected attempt, which is appended to the conversation. Sections always
/// come in the same order so prompts are diffable, stable ones first so providers can cache them (see docs/prompt.md).
/// </summary>
internal static class PromptBuilder
{
    /// <summary>Keys put on the hole's message so test and replay clients can tell holes apart without parsing text.</summary>
    public const string TaskProperty = "holes.task";
    public const string SiteProperty = "holes.site";
    public const string AttemptProperty = "holes.attempt";

    /// <summary>
    /// The hole's message. With a session <paramref name="context"/> (the default layout): the context's text first,
    /// then this hole's own section, its most specific parts last. Without one (<see cref="PromptLayout.PerHole"/>):
    /// everything about the hole in one section, as before sessions had a context.
    /// </summary>
    public static ChatMessage Hole(
        HoleContext hole, IReadOnlyList<SessionVariable> variables, HoleOptions options, bool nestedHolesAllowed,
        PromptContext? context, ModelCatalog models, SessionModel model)
    {
        var text = context is null
            ? PerHole(hole, variables, options, nestedHolesAllowed, models, model)
            : WithContext(hole, variables, options, nestedHolesAllowed, context, models, model);
        return new ChatMessage(ChatRole.User, text)
        {
            AdditionalProperties = new AdditionalPropertiesDictionary
            {
                [TaskProperty] = hole.Task,
                [SiteProperty] = hole.Site.Location,
                [AttemptProperty] = 1,
            },
        };
    }

    private static string WithContext(
        HoleContext hole, IReadOnlyList<SessionVariable> variables, HoleOptions options, bool nestedHolesAllowed,
        PromptContext context, ModelCatalog models, SessionModel model)
    {
        var site = hole.Site;
        var capabilities = CapabilityDescriber.Describe(hole.Bindings);
        var admission = context.Admit(hole, options, models, capabilities);
        var (shared, place) = (admission.Text, admission.Place);
        var text = new StringBuilder(shared.Length + 2048);
        text.Append(shared).Append('\n');
        Header(text, hole, options, nestedHolesAllowed, models, model);
        RequiredType(text, site);

        // For a hole in a fill, the parent's code is where the hole is: shown once, marked, among the enclosing holes.
        var ancestors = hole.Chain().Take(hole.Depth - 1).Where(a => a.Code is not null).ToList();
        var markedInParent = ancestors.Count > 0 && ReferenceEquals(ancestors[^1], hole.Parent) && site.EnclosingSource.Length > 0 &&
            string.Equals(site.EnclosingSource.Replace(EnclosingMarker, "", StringComparison.Ordinal).TrimEnd(), hole.Parent!.Code!.TrimEnd(), StringComparison.Ordinal);
        if (ancestors.Count > 0)
        {
            text.Append(markedInParent
                ? "\n## Enclosing holes (outermost first); your hole is the call marked in the last one's code\n"
                : "\n## Enclosing holes (outermost first); your hole is called from the last one's code\n");
            var n = 1;
            foreach (var ancestor in ancestors)
            {
                var code = markedInParent && n == ancestors.Count ? site.EnclosingSource : ancestor.Code!;
                text.Append(n++).Append(". Task: ").Append(ancestor.Task).Append("\n```csharp\n").Append(code.TrimEnd()).Append("\n```\n");
            }
        }

        if (place is not null)
        {
            var from = place.FirstLine + place.CallFrom;
            var to = place.FirstLine + place.CallTo;
            text.Append("\n## Where the hole is\n")
                .Append(from == to ? $"Line {from}" : $"Lines {from}-{to}").Append(" of ").Append(place.Title).Append(" (its source is in the session context):\n```csharp\n");
            var lines = place.Lines.ToList();
            lines[place.CallTo] = place.MarkedLast;
            PromptContext.AppendNumbered(text, lines, place.CallFrom, place.CallTo, place.FirstLine);
            text.Append("```\n");
        }
        else if (!markedInParent && site.EnclosingSource.Length > 0)
        {
            text.Append("\n## Source around the hole (the hole is marked)\n```csharp\n").Append(site.EnclosingSource.TrimEnd()).Append("\n```\n");
        }

        // Session variables change less often than the values a call hands in: siblings in a loop share them.
        Variables(text, hole, variables);
        Values(text, hole);
        if (capabilities is not null)
        {
            text.Append("\n## Capabilities handed in\n");
            if (admission.MissingApi is { } api)
            {
                text.Append(capabilities.Sentence("below")).Append(api);
            }
            else
            {
                text.Append(capabilities.Sentence("under \"Capability APIs\" in the session context"));
            }
        }

        // What the hole needs beyond a session context that has stopped growing.
        if (admission.MissingDeclarations.Count > 0)
        {
            text.Append("\n## Declarations of the program's types (not in the session context)\n```csharp\n")
                .AppendJoin("\n\n", admission.MissingDeclarations).Append("\n```\n");
        }

        text.Append("\n## Task\n").Append(hole.Task).Append('\n');
        return text.ToString();
    }

    /// <summary>The layout of a hole's message before sessions had a context: everything about the hole, in one section.</summary>
    private static string PerHole(HoleContext hole, IReadOnlyList<SessionVariable> variables, HoleOptions options, bool nestedHolesAllowed, ModelCatalog models, SessionModel model)
    {
        var site = hole.Site;
        var text = new StringBuilder(2048);
        Header(text, hole, options, nestedHolesAllowed, models, model);
        RequiredType(text, site);
        Values(text, hole);
        Variables(text, hole, variables);

        // A capability's API is shown once, in its own section; the declarations section leaves those types out.
        var capabilities = CapabilityDescriber.Describe(hole.Bindings);
        if (capabilities is not null)
        {
            text.Append("\n## Capabilities handed in\n").Append(capabilities.Sentence("below")).Append(capabilities.Api);
        }

        var declarations = hole.Chain().SelectMany(h => h.Site.TypeDeclarations).Distinct(StringComparer.Ordinal)
            .Where(d => capabilities is null || !capabilities.Declared.Contains(CapabilityDescriber.Header(d)))
            .ToList();
        if (declarations.Count > 0)
        {
            text.Append("\n## Declarations of the program's types\n```csharp\n");
            text.AppendJoin("\n\n", declarations).Append("\n```\n");
        }

        text.Append("\n## Capabilities granted\n").Append(options.Policy.DescribeGrants()).Append('\n');

        if (site.EnclosingSource.Length > 0)
        {
            text.Append("\n## Source around the hole (the hole is marked)\n```csharp\n").Append(site.EnclosingSource.TrimEnd()).Append("\n```\n");
        }

        var ancestors = hole.Chain().Take(hole.Depth - 1).Where(a => a.Code is not null).ToList();
        if (ancestors.Count > 0)
        {
            text.Append("\n## Enclosing holes (outermost first); your hole is called from the last one's code\n");
            var n = 1;
            foreach (var ancestor in ancestors)
            {
                text.Append(n++).Append(". Task: ").Append(ancestor.Task).Append("\n```csharp\n").Append(ancestor.Code!.TrimEnd()).Append("\n```\n");
            }
        }

        text.Append("\n## Task\n").Append(hole.Task).Append('\n');
        return text.ToString();
    }

    private const string EnclosingMarker = " /* <-- this hole */";

    private static void Header(StringBuilder text, HoleContext hole, HoleOptions options, bool nestedHolesAllowed, ModelCatalog models, SessionModel model)
    {
        var site = hole.Site;
        text.Append("# Hole at ").Append(site.Location);
        if (site.MemberName.Length > 0)
        {
            text.Append(", in ").Append(site.MemberName);
        }

        text.Append("\nNesting depth ").Append(hole.Depth).Append(" of at most ").Append(options.MaxDepth).Append(". ")
            .Append(nestedHolesAllowed
                ? "You may call agent<T>(task, values...) for sub-tasks."
                : "This is the deepest level: do not call agent<T>; write the code directly.");
        if (nestedHolesAllowed && models.HasChoice)
        {
            text.Append(" They run on `").Append(model.Key).Append("`, this hole's model, unless you pick another (see Models).");
        }

        text.Append("\n");
    }

    private static void RequiredType(StringBuilder text, HoleSite site) =>
        text.Append("\n## Required type\nEnd your code with `return <value>;` where the value converts to `")
            .Append(Short(site.ResultType)).Append("`.\n");

    private static void Values(StringBuilder text, HoleContext hole)
    {
        text.Append("\n## Values handed in\n");
        if (hole.Bindings.Count == 0)
        {
            text.Append("(none)\n");
        }

        foreach (var binding in hole.Bindings)
        {
            text.Append("- `").Append(binding.Name).Append("`: `").Append(Short(binding.TypeName)).Append("` = ")
                .Append(ValuePreview.Of(binding.Value)).Append('\n');
        }
    }

    private static void Variables(StringBuilder text, HoleContext hole, IReadOnlyList<SessionVariable> variables)
    {
        text.Append("\n## Session variables\n");
        var visible = variables.Where(v => !hole.Bindings.Any(b => b.Name == v.Name)).ToList();
        if (visible.Count == 0)
        {
            text.Append("(none)\n");
        }

        foreach (var variable in visible)
        {
            text.Append("- `").Append(variable.Name).Append("`: `").Append(Short(variable.TypeName)).Append("` = ")
                .Append(ValuePreview.Of(variable.Value)).Append('\n');
        }
    }

    public static ChatMessage Rejected(HoleContext hole, string code, IReadOnlyList<HoleDiagnostic> diagnostics, int nextAttempt)
    {
        var text = new StringBuilder(1024);
        text.Append("Your code was rejected before it ran; nothing changed. Your code, with line numbers:\n```\n");
        AppendNumbered(text, code);
        text.Append("```\nDiagnostics:\n");
        foreach (var diagnostic in diagnostics)
        {
            text.Append("- line ").Append(diagnostic.Line).Append(", column ").Append(diagnostic.Column).Append(": ")
                .Append(diagnostic.Id).Append(": ").Append(diagnostic.Message).Append('\n');
        }

        text.Append("Reply with corrected code for the same task.");
        return FollowUp(hole, text.ToString(), nextAttempt);
    }

    public static ChatMessage NoCode(HoleContext hole, int nextAttempt) => FollowUp(hole,
        "Your reply contained no code. Reply with a JSON object {\"code\": \"<C# statements ending in return>\", \"giveUp\": null}, " +
        "or set \"giveUp\" to a reason if the task cannot be done.", nextAttempt);

    public static ChatMessage Threw(HoleContext hole, string code, Exception exception, int? line, int nextAttempt)
    {
        var text = new StringBuilder(1024);
        text.Append("Your code compiled and ran, but threw ").Append(exception.GetType().Name);
        if (line is { } l)
        {
            text.Append(" at line ").Append(l);
        }

        text.Append(": ").Append(exception.Message).Append("\nNothing it declared was committed. Your code, with line numbers:\n```\n");
        AppendNumbered(text, code);
        text.Append("```\nReply with corrected code for the same task.");
        return FollowUp(hole, text.ToString(), nextAttempt);
    }

    private static ChatMessage FollowUp(HoleContext hole, string text, int nextAttempt) => new(ChatRole.User, text)
    {
        AdditionalProperties = new AdditionalPropertiesDictionary
        {
            [TaskProperty] = hole.Task,
            [SiteProperty] = hole.Site.Location,
            [AttemptProperty] = nextAttempt,
        },
    };

    private static void AppendNumbered(StringBuilder text, string code)
    {
        var lines = code.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var width = lines.Length.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        for (var i = 0; i < lines.Length; i++)
        {
            text.Append((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width)).Append(" | ").Append(lines[i]).Append('\n');
        }
    }

    internal static string Short(string typeName) => typeName.Replace("global::", "", StringComparison.Ordinal);
}
