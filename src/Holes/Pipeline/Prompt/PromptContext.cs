using System.Globalization;
using System.Text;
using Holes.Pipeline.Model;
using Holes.Pipeline.Nesting;
using Holes.Runtime;

namespace Holes.Pipeline.Prompt;

/// <summary>
/// A session's context: what its holes share, laid out so that providers can cache it. It opens every hole's message,
/// right after the system message, and only ever grows at the end: the session's models and grants, the APIs of the
/// capabilities its holes were handed, the declarations of the program's types they needed, and the source around
/// them with line numbers (each line once, however many holes it surrounds). A hole admitted later sees the same text
/// with more appended, so the system message and the context so far are a prefix its request shares with every earlier
/// request of the session.
/// </summary>
/// <remarks>
/// Parallel holes admit themselves concurrently; each takes the text as it stood after its own admission. The context
/// stops growing at <see cref="MaxLength"/> characters, so a long-lived session of a large program (one session for
/// a whole web application) does not send ever longer requests: from then on what a hole needs beyond it goes into
/// that hole's own section, as it did before sessions had a context.
/// </remarks>
internal sealed class PromptContext(int maxLength = PromptContext.DefaultMaxLength)
{
    public const string Heading = "# Session context";

    /// <summary>About 8,000 tokens.</summary>
    public const int DefaultMaxLength = 32_000;

    private readonly object _gate = new();
    private readonly StringBuilder _text = new(8192);
    private readonly HashSet<string> _apis = new(StringComparer.Ordinal);
    private readonly HashSet<string> _apiHeaders = new(StringComparer.Ordinal);
    private readonly HashSet<string> _declarations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<int>> _shownLines = new(StringComparer.Ordinal);
    private string? _grants;
    private string _snapshot = "";

    /// <summary>How long the context may grow, in characters.</summary>
    public int MaxLength { get; } = maxLength;

    /// <summary>
    /// Adds what <paramref name="hole"/> needs and the context does not have yet (while it is under
    /// <see cref="MaxLength"/>), and returns the context's text, where the hole's source lines are in it, and what the
    /// hole needs that the context lacks, for the hole's own section to show.
    /// </summary>
    public Admission Admit(HoleContext hole, HoleOptions options, ModelCatalog models, CapabilityText? capabilities)
    {
        var place = SourcePlace.Of(hole.Site);
        lock (_gate)
        {
            var before = _text.Length;
            var full = before >= MaxLength;
            if (before == 0)
            {
                _text.Append(Heading).Append('\n')
                    .Append("What the holes of this session share. It is only ever extended at the end; your hole's own section follows it.\n");
                if (models.HasChoice)
                {
                    AppendModels(models, options);
                }
            }

            var grants = options.Policy.DescribeGrants();
            if (!string.Equals(grants, _grants, StringComparison.Ordinal))
            {
                _text.Append(_grants is null ? "\n## Capabilities granted\n" : "\n## Capabilities granted (changed; this replaces the grants above)\n").Append(grants).Append('\n');
                _grants = grants;
            }

            string? missingApi = null;
            if (capabilities is { Api.Length: > 0 } && !_apis.Contains(capabilities.Api))
            {
                if (full)
                {
                    missingApi = capabilities.Api;
                }
                else
                {
                    _apis.Add(capabilities.Api);
                    _text.Append(_apis.Count == 1 ? "\n## Capability APIs\n" : "\n## More capability APIs\n").Append(capabilities.Api);
                    _apiHeaders.UnionWith(capabilities.Declared);
                }
            }

            var fresh = hole.Chain().SelectMany(h => h.Site.TypeDeclarations)
                .Where(d => !_apiHeaders.Contains(CapabilityDescriber.Header(d)) && !_declarations.Contains(d) &&
                            (missingApi is null || !capabilities!.Declared.Contains(CapabilityDescriber.Header(d))))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (fresh.Count > 0 && !full)
            {
                _text.Append(_declarations.Count == 0 ? "\n## Declarations of the program's types\n```csharp\n" : "\n## More declarations of the program's types\n```csharp\n")
                    .AppendJoin("\n\n", fresh).Append("\n```\n");
                _declarations.UnionWith(fresh);
                fresh = [];
            }

            if (place is not null)
            {
                if (!full)
                {
                    AppendSource(place);
                }
                else if (!Shows(place))
                {
                    place = null;
                }
            }

            if (_text.Length != before)
            {
                _snapshot = _text.ToString();
            }

            return new Admission(_snapshot, place, missingApi, fresh);
        }
    }

    /// <summary>Whether the context already shows every line of <paramref name="place"/>.</summary>
    private bool Shows(SourcePlace place) =>
        _shownLines.TryGetValue(place.Key, out var shown) && Enumerable.Range(place.FirstLine, place.Lines.Count).All(shown.Contains);

    private void AppendModels(ModelCatalog models, HoleOptions options)
    {
        var example = models.All.FirstOrDefault(m => m.Key != AgentSession.DefaultModelKey)?.Key ?? AgentSession.DefaultModelKey;
        _text.Append("\n## Models\n")
            .Append("Holes are filled by one of these models. A nested hole runs on the model of the hole whose code calls it, unless that code picks ")
            .Append("another for a block: `using (model(\"").Append(example).Append("\")) { ... }`.\n");
        foreach (var model in models.All)
        {
            var description = model.Description.Length > 0 ? model.Description
                : options.ModelDescriptions.TryGetValue(model.Key, out var configured) && configured.Trim().Length > 0 ? configured.Trim()
                : model.Key == AgentSession.DefaultModelKey ? "the session's default model" : "(no description)";
            _text.Append("- `").Append(model.Key).Append("` (").Append(model.Name).Append("): ").Append(description).Append('\n');
        }
    }

    /// <summary>Appends the lines of the hole's source the context does not show yet, in runs of consecutive lines.</summary>
    private void AppendSource(SourcePlace place)
    {
        if (!_shownLines.TryGetValue(place.Key, out var shown))
        {
            _shownLines[place.Key] = shown = [];
        }

        var runs = new List<(int From, int To)>();
        for (var i = 0; i < place.Lines.Count; i++)
        {
            var number = place.FirstLine + i;
            if (shown.Contains(number))
            {
                continue;
            }

            if (runs.Count > 0 && runs[^1].To == number - 1)
            {
                runs[^1] = (runs[^1].From, number);
            }
            else
            {
                runs.Add((number, number));
            }
        }

        foreach (var (from, to) in runs)
        {
            _text.Append(shown.Count == 0 ? "\n## Source of " : "\n## More source of ").Append(place.Title).Append('\n');
            if (shown.Count == 0)
            {
                _text.Append("Lines of the program around its holes; each hole's own section says which line it is.\n");
            }

            _text.Append("```csharp\n");
            AppendNumbered(_text, place.Lines, from - place.FirstLine, to - place.FirstLine, place.FirstLine);
            _text.Append("```\n");
            for (var n = from; n <= to; n++)
            {
                shown.Add(n);
            }
        }
    }

    /// <summary>Lines <paramref name="first"/>..<paramref name="last"/> (indices) of <paramref name="lines"/>, numbered from <paramref name="firstNumber"/> at index 0.</summary>
    public static void AppendNumbered(StringBuilder text, IReadOnlyList<string> lines, int first, int last, int firstNumber)
    {
        var width = (firstNumber + last).ToString(CultureInfo.InvariantCulture).Length;
        for (var i = first; i <= last; i++)
        {
            text.Append((firstNumber + i).ToString(CultureInfo.InvariantCulture).PadLeft(width)).Append(" |");
            if (lines[i].Length > 0)
            {
                text.Append(' ').Append(lines[i]);
            }

            text.Append('\n');
        }
    }
}

/// <summary>What a hole's admission to the session context gave it.</summary>
/// <param name="Text">The context's text, for the start of the hole's message.</param>
/// <param name="Place">Where the hole's source is in the context; <see langword="null"/> when the hole's own section must show it.</param>
/// <param name="MissingApi">The API block of the hole's capabilities when the context is full and lacks it.</param>
/// <param name="MissingDeclarations">Declarations the hole needs that the full context lacks.</param>
internal sealed record Admission(string Text, SourcePlace? Place, string? MissingApi, IReadOnlyList<string> MissingDeclarations);

/// <summary>
/// A hole's source (<see cref="HoleSite.EnclosingSource"/>) placed in its file: the lines without the hole's marker,
/// the file line of the first, and which lines hold the hole's call.
/// </summary>
internal sealed class SourcePlace
{
    private const string Marker = " /* <-- this hole */";
    private const string Elision = "// ...";

    private SourcePlace(string key, string title, string fileName, IReadOnlyList<string> lines, int firstLine, int callFrom, int callTo, string markedLast)
    {
        Key = key;
        Title = title;
        FileName = fileName;
        Lines = lines;
        FirstLine = firstLine;
        CallFrom = callFrom;
        CallTo = callTo;
        MarkedLast = markedLast;
    }

    /// <summary>Identifies the source: the file and the member.</summary>
    public string Key { get; }

    /// <summary><c>Program.cs, in Main</c>.</summary>
    public string Title { get; }

    public string FileName { get; }

    /// <summary>The source's lines, unmarked.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The file line of <see cref="Lines"/>[0].</summary>
    public int FirstLine { get; }

    /// <summary>The index in <see cref="Lines"/> of the call's first line (where <c>agent</c> is).</summary>
    public int CallFrom { get; }

    /// <summary>The index in <see cref="Lines"/> of the call's last line (where the marker goes).</summary>
    public int CallTo { get; }

    /// <summary>The call's last line with the marker.</summary>
    public string MarkedLast { get; }

    /// <summary>
    /// Places the site's source in its file, or <see langword="null"/> when it cannot: no source, a hole in a fill
    /// (its source is its parent's code), no marker, or no line to anchor it.
    /// </summary>
    public static SourcePlace? Of(HoleSite site)
    {
        if (site.EnclosingSource.Length == 0 || site.Line <= 0 || site.FilePath.Contains('>', StringComparison.Ordinal))
        {
            return null;
        }

        var lines = site.EnclosingSource.Split('\n').ToList();
        // A top-level program's source is a window of its statements; the elision lines are not source.
        if (lines.Count > 0 && lines[0] == Elision)
        {
            lines.RemoveAt(0);
        }

        if (lines.Count > 0 && lines[^1] == Elision)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var marked = lines.FindIndex(l => l.Contains(Marker, StringComparison.Ordinal));
        if (marked < 0 || lines.FindLastIndex(l => l.Contains(Marker, StringComparison.Ordinal)) != marked)
        {
            return null;
        }

        var markedLast = lines[marked];
        lines[marked] = markedLast.Replace(Marker, "", StringComparison.Ordinal).TrimEnd();

        // The site's line is where `agent` is; a call that spans lines has its marker at the end of the last one.
        var callFrom = marked;
        while (callFrom >= 0 && !lines[callFrom].Contains("agent", StringComparison.Ordinal))
        {
            callFrom--;
        }

        if (callFrom < 0)
        {
            callFrom = marked;
        }

        var firstLine = site.Line - callFrom;
        if (firstLine < 1)
        {
            return null;
        }

        var fileName = Path.GetFileName(site.FilePath);
        var title = site.MemberName.Length > 0 ? $"{fileName}, in {site.MemberName}" : fileName;
        return new SourcePlace(site.FilePath + "\n" + site.MemberName, title, fileName, lines, firstLine, callFrom, marked, markedLast);
    }
}
