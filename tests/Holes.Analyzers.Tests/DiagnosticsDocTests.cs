using System.Reflection;
using System.Text.RegularExpressions;
using Holes.Rules;
using Microsoft.CodeAnalysis;
using static Holes.Analyzers.Tests.AnalyzerHarness;

namespace Holes.Analyzers.Tests;

/// <summary>
/// Keeps docs/diagnostics.md true: a section for every id, a help link from every analyzer diagnostic to its section
/// under its own title, and examples that really do what the section says (the "Example" block reports the id, the
/// "Instead" block reports nothing).
/// </summary>
public partial class DiagnosticsDocTests
{
    private static readonly Lazy<string> s_docs = new(() => File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "diagnostics.md")));

    public static TheoryData<string> Ids()
    {
        var ids = new TheoryData<string>();
        foreach (FieldInfo field in typeof(HoleDiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            ids.Add((string)field.GetValue(null)!);
        }

        return ids;
    }

    public static TheoryData<string> AnalyzerIdsWithExamples() =>
        ["HOLE010", "HOLE011", "HOLE012", "HOLE013", "HOLE014", "HOLE015", "HOLE016", "HOLE017", "HOLE018", "HOLE020"];

    [Theory]
    [MemberData(nameof(Ids))]
    public void EveryId_HasASection(string id)
    {
        Assert.Matches($"<a id=\"{id.ToLowerInvariant()}\"></a>\n### {id}: ", s_docs.Value.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void EveryAnalyzerDiagnostic_LinksToItsSection_UnderItsTitle()
    {
        foreach (DiagnosticDescriptor descriptor in AnalyzerHarness.Analyzers.SelectMany(a => a.SupportedDiagnostics))
        {
            string anchor = descriptor.Id.ToLowerInvariant();
            Assert.Equal("https://github.com/holes-dev/holes/blob/main/docs/diagnostics.md#" + anchor, descriptor.HelpLinkUri);
            Match heading = Regex.Match(s_docs.Value, $"<a id=\"{anchor}\"></a>\\r?\\n### {descriptor.Id}: (?<title>.*)");
            Assert.True(heading.Success, $"docs/diagnostics.md has no section for {descriptor.Id}");
            Assert.Equal(descriptor.Title.ToString(), heading.Groups["title"].Value.Replace("`", "", StringComparison.Ordinal).TrimEnd());
        }
    }

    [Theory]
    [MemberData(nameof(AnalyzerIdsWithExamples))]
    public void Example_ReportsItsId_AndInstead_ReportsNothing(string id)
    {
        string[] blocks = CSharpBlocks(Section(id));
        Assert.True(blocks.Length == 2, $"{id}: expected an Example and an Instead block, found {blocks.Length}");

        var example = Analyze(blocks[0], outputKind: OutputKind.ConsoleApplication);
        Assert.Contains(example, d => d.Id == id);

        var instead = Analyze(blocks[1], outputKind: OutputKind.ConsoleApplication);
        Assert.True(instead.IsEmpty, $"{id}'s Instead block reports:\n" + string.Join("\n", instead));
    }

    private static string Section(string id)
    {
        string docs = s_docs.Value;
        int start = docs.IndexOf($"<a id=\"{id.ToLowerInvariant()}\"></a>", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/diagnostics.md has no section for {id}");
        int end = docs.IndexOf("<a id=", start + 1, StringComparison.Ordinal);
        return end < 0 ? docs[start..] : docs[start..end];
    }

    private static string[] CSharpBlocks(string markdown)
        => Block().Matches(markdown).Select(m => m.Groups["code"].Value).ToArray();

    [GeneratedRegex("```csharp\\r?\\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Block();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Holes.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Holes.sln was not found above " + AppContext.BaseDirectory);
    }
}
