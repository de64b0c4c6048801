namespace Holes.Tests.EndToEnd;

/// <summary>Basic facts about a person.</summary>
/// <param name="Name">Full name.</param>
/// <param name="BirthYear">Year of birth.</param>
/// <param name="Field">What they are known for.</param>
internal sealed record Person(string Name, int BirthYear, string Field);

/// <summary>One step of a ReAct loop: a thought, an action to take, and the answer once final.</summary>
internal sealed record Step(string Thought, string Action, string? Answer)
{
    public bool IsFinal => Answer is not null;
}

/// <summary>A JSON-like value.</summary>
internal abstract record Json;

internal sealed record JsonString(string Value) : Json;

internal sealed record JsonNumber(double Value) : Json;

internal sealed record JsonArray(List<Json> Items) : Json;

internal sealed record JsonObject(Dictionary<string, Json> Properties) : Json;
