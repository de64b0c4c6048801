using System.Collections;
using System.Globalization;

/// <summary>Renders the values the holes return, compactly and on one line where possible.</summary>
internal static class Display
{
    public static string Of(object? value) => value switch
    {
        null => "null",
        string s => s,
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        Json json => Render(json),
        Step { IsFinal: true } step => $"answer: {step.Answer} (thought: {step.Thought})",
        Step step => $"thought: {step.Thought} / action: {step.Action}",
        IDictionary dictionary => "{ " + string.Join(", ", dictionary.Keys.Cast<object>().Select(key => $"{Of(key)}: {Of(dictionary[key])}")) + " }",
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Item)) + "]",
        _ => value.ToString() ?? "",
    };

    /// <summary>One item per line, for lists of sentences.</summary>
    public static string Lines(IEnumerable<string> items, string indent) =>
        string.Concat(items.Select(item => Environment.NewLine + indent + "- " + item));

    private static string Item(object? value) => value is string s ? $"\"{s}\"" : Of(value);

    private static string Render(Json json) => json switch
    {
        JsonString s => $"\"{s.Value}\"",
        JsonNumber n => n.Value.ToString(CultureInfo.InvariantCulture),
        JsonBool b => b.Value ? "true" : "false",
        JsonArray a => "[" + string.Join(", ", a.Items.Select(Render)) + "]",
        JsonObject o => "{ " + string.Join(", ", o.Properties.Select(p => $"\"{p.Key}\": {Render(p.Value)}")) + " }",
        _ => json.ToString(),
    };
}
