using System.Text.Json;
using System.Text.RegularExpressions;

namespace Holes.Pipeline.Model;

/// <summary>
/// Takes the code out of a reply: from the structured <c>code</c> field when the reply is the JSON object the
/// prompt asks for, otherwise from a fenced code block. Prose alone yields no code; nothing is scraped from it.
/// </summary>
internal static partial class CodeExtractor
{
    public static ModelReply Extract(string? text)
    {
        var raw = text ?? "";
        var trimmed = StripFence(raw.Trim(), jsonOnly: true);
        if (trimmed.StartsWith('{') && TryReadJson(trimmed, out var code, out var giveUp))
        {
            code = code is null ? null : StripFence(code.Trim(), jsonOnly: false);
            return new ModelReply(string.IsNullOrWhiteSpace(code) ? null : code, string.IsNullOrWhiteSpace(giveUp) ? null : giveUp, raw);
        }

        var block = Fence().Matches(raw).Select(m => m.Groups["code"].Value).FirstOrDefault(b => !string.IsNullOrWhiteSpace(b));
        return new ModelReply(block?.Trim('\n', '\r'), null, raw);
    }

    private static bool TryReadJson(string json, out string? code, out string? giveUp)
    {
        code = null;
        giveUp = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("code") && property.Value.ValueKind == JsonValueKind.String)
                {
                    code = property.Value.GetString();
                }
                else if (property.NameEquals("giveUp") && property.Value.ValueKind == JsonValueKind.String)
                {
                    giveUp = property.Value.GetString();
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string StripFence(string text, bool jsonOnly)
    {
        var match = WholeFence().Match(text);
        if (!match.Success)
        {
            return text;
        }

        var language = match.Groups["lang"].Value;
        return jsonOnly && language is not ("json" or "") ? text : match.Groups["code"].Value.Trim();
    }

    [GeneratedRegex(@"```[ \t]*(?<lang>csharp|cs|c#|C#)?[ \t]*\r?\n(?<code>.*?)```", RegexOptions.Singleline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Fence();

    [GeneratedRegex(@"^```[ \t]*(?<lang>[A-Za-z#]*)[ \t]*\r?\n(?<code>.*)```$", RegexOptions.Singleline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex WholeFence();
}
