// The Holes quickstart: each `await agent<T>(task, values...)` below is a typed hole. A model writes C# for it; the
// code is type-checked against T and capability-checked before it runs, and a rejected attempt goes back to the
// model with its diagnostics. With no model configured, recorded fills are replayed (see README.md).
using Holes;
using static Holes.Agents;

using var model = ModelSelection.FromEnvironment();
if (model.Client is not { } client)
{
    Console.Error.WriteLine(model.Description);
    return 2;
}

Console.WriteLine(model.Description);

// Live progress: which hole waits on which model, for how long, on which attempt (drawn only on a terminal).
using var progress = new LiveProgress(Console.Out);
var log = new HoleConsoleLog(client, progress.Writer);
await using var session = new AgentSession(log, new HoleOptions { Progress = progress });
AgentSession.Current = session;

try
{
    Title("1. A value lookup");
    int year = await agent<int>("the year Alan Turing was born");
    Show(year);

    Title("2. Filtering a list handed in");
    var xs = new List<int> { 0, 1, 2, 4, 7, 9, 10 };
    List<int> primes = await agent<List<int>>("keep only the prime numbers in xs", xs);
    Show(primes);

    Title("3. Generating a function");
    Func<int, string> toRoman = await agent<Func<int, string>>("a function that converts 1..3999 to Roman numerals");
    Show($"toRoman(1912) = {toRoman(1912)}, toRoman(2024) = {toRoman(2024)}, toRoman(3999) = {toRoman(3999)}");

    Title("4. A record");
    Person turing = await agent<Person>("basic facts about Alan Turing");
    Show(turing);

    Title("5. A dictionary");
    var countries = new[] { "France", "Japan", "Kenya" };
    Dictionary<string, string> capitals = await agent<Dictionary<string, string>>("the capital city of each of countries", countries);
    Show(capitals);

    Title("6. Sorting by world knowledge");
    var titles = new List<string> { "Dune", "Frankenstein", "Neuromancer", "Don Quixote" };
    List<string> oldestFirst = await agent<List<string>>("sort titles by first publication year, oldest first", titles);
    Show(oldestFirst);

    Title("7. A recursive record hierarchy");
    Json library = await agent<Json>("a JSON value describing a small library with two books");
    Show(library);

    Title("8. Serialising a value in scope");
    string json = await agent<string>("serialise turing as JSON", turing);
    Show(json);

    Title("9. The standard deviation of a list");
    var samples = new List<double> { 2, 4, 4, 4, 5, 5, 7, 9 };
    double deviation = await agent<double>("the population standard deviation of samples", samples);
    Show(deviation);

    Title("10. A nested hole per item");
    var docs = new List<string>
    {
        "Holes lets a C# program leave a typed hole, await agent<T>(task, values), that a language model fills with code at run time.",
        "Every fill is compiled by Roslyn against the hole's type and checked against a capability policy before a line of it runs.",
        "A session keeps the variables that accepted fills declare, so later holes can build on earlier ones, as in a REPL.",
    };
    List<string> summaries = await agent<List<string>>("summarise each of docs in at most six words, with one sub-agent per doc", docs);
    Show(Display.Lines(summaries, "       "));

    Title("11. A ReAct loop");
    var history = new List<Step>();
    var answered = false;
    while (!answered && history.Count < 8)
    {
        Step step = await agent<Step>("the next step towards answering: what is the population of the capital of France?", history);
        history.Add(step);
        Show(step);
        answered = step.IsFinal;
    }

    Title("12. Parallel sub-agents");
    var topics = new[] { "Roslyn", "LINQ", "Span<T>" };
    string[] lines = await agent<string[]>("one line about each of topics, researched in parallel by sub-agents", topics);
    Show(Display.Lines(lines, "       "));
}
catch (HoleException ex)
{
    Console.Error.WriteLine();
    Console.Error.WriteLine($"The hole failed: {ex.Message}");
    return 1;
}
finally
{
    // Saved even when a hole failed, so what did work can be replayed; an empty recording never replaces a file.
    if (model.Recorder is { Count: > 0 } recorder)
    {
        await recorder.SaveAsync(model.RecordPath!, CancellationToken.None);
        Console.WriteLine($"{Environment.NewLine}Recorded {recorder.Count} holes to {model.RecordPath}; replay them with HOLES_REPLAY={model.RecordPath}");
    }
}

Console.WriteLine();
Console.WriteLine($"Session stats: {session.Stats}");
foreach (var (name, usage) in session.Stats.Models)
{
    Console.WriteLine($"  model {name}: {usage}");
}

return 0;

static void Title(string text) => Console.WriteLine($"{Environment.NewLine}== {text} ==");

void Show(object? value)
{
    var text = Display.Of(value);
    Console.WriteLine($"  accepted on attempt {log.LastTopLevelAttempt} =>{(text.StartsWith(Environment.NewLine, StringComparison.Ordinal) ? "" : " ")}{text}");
}

/// <summary>Basic facts about a person.</summary>
/// <param name="Name">Full name.</param>
/// <param name="BirthYear">Year of birth.</param>
/// <param name="Field">What they are known for.</param>
internal sealed record Person(string Name, int BirthYear, string Field);

/// <summary>One step of a ReAct loop: what the agent thinks, what it does next, and the answer once it has one.</summary>
/// <param name="Thought">The reasoning behind this step.</param>
/// <param name="Action">What to do next, e.g. "recall: capital of France", or "answer".</param>
/// <param name="Answer">The final answer; null until the last step.</param>
internal sealed record Step(string Thought, string Action, string? Answer)
{
    /// <summary>Whether this step answers the question.</summary>
    public bool IsFinal => Answer is not null;
}

/// <summary>A JSON-like value: a string, number, boolean, array or object.</summary>
internal abstract record Json;

/// <summary>A JSON string.</summary>
internal sealed record JsonString(string Value) : Json;

/// <summary>A JSON number.</summary>
internal sealed record JsonNumber(double Value) : Json;

/// <summary>A JSON boolean.</summary>
internal sealed record JsonBool(bool Value) : Json;

/// <summary>A JSON array.</summary>
internal sealed record JsonArray(List<Json> Items) : Json;

/// <summary>A JSON object: named values.</summary>
internal sealed record JsonObject(Dictionary<string, Json> Properties) : Json;
