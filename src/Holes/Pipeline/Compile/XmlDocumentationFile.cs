using System.Globalization;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;

namespace Holes.Pipeline.Compile;

/// <summary>
/// Serves doc comments from the XML file a library ships beside its assembly, so the prompt can show the
/// program's own types with their summaries. Read on first use only.
/// </summary>
internal sealed class XmlDocumentationFile(string path) : DocumentationProvider
{
    private readonly Lazy<Dictionary<string, string>> _members = new(() => Read(path));

    protected override string? GetDocumentationForSymbol(string documentationMemberID, CultureInfo preferredCulture, CancellationToken cancellationToken = default) =>
        _members.Value.GetValueOrDefault(documentationMemberID);

    public override bool Equals(object? obj) => obj is XmlDocumentationFile other && other.Path == Path;

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Path);

    private string Path { get; } = path;

    private static Dictionary<string, string> Read(string path)
    {
        try
        {
            return XDocument.Load(path).Descendants("member")
                .Where(m => m.Attribute("name") is not null)
                .GroupBy(m => m.Attribute("name")!.Value, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().ToString(SaveOptions.DisableFormatting), StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or System.Xml.XmlException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
