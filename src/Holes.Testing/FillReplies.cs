using System.Text.Json;

namespace Holes.Testing;

/// <summary>Builds reply texts in the shapes a model may answer with.</summary>
public static class FillReplies
{
    /// <summary>A structured reply carrying <paramref name="code"/>, as the prompt asks for.</summary>
    /// <param name="code">The C# statements.</param>
    /// <returns>The JSON text.</returns>
    public static string Code(string code) => JsonSerializer.Serialize(new Dictionary<string, string?> { ["code"] = code, ["giveUp"] = null });

    /// <summary>A structured reply that gives up with <paramref name="reason"/>.</summary>
    /// <param name="reason">Why the task cannot be done.</param>
    /// <returns>The JSON text.</returns>
    public static string GiveUp(string reason) => JsonSerializer.Serialize(new Dictionary<string, string?> { ["code"] = "", ["giveUp"] = reason });

    /// <summary>A prose reply with the code in a fenced block, as models without structured output answer.</summary>
    /// <param name="code">The C# statements.</param>
    /// <returns>The reply text.</returns>
    public static string Fenced(string code) => $"Here is the code:\n```csharp\n{code}\n```\n";
}
