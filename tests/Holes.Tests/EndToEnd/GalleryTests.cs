using Holes.Testing;
using static Holes.Agents;

namespace Holes.Tests.EndToEnd;

/// <summary>
/// The Quickstart gallery, each scenario driven through a scripted model that first proposes three realistic wrong
/// fills. Each is rejected before it runs, with a diagnostic that names the problem; the retry then succeeds.
/// </summary>
public class GalleryTests
{
    [Fact]
    public async Task Value_lookup()
    {
        await using var g = new Gallery()
            .Wrong("return \"1912\";")                                            // wrong type
            .Wrong("return TuringFacts.BirthYear;")                               // unknown name
            .Wrong("return int.Parse(System.IO.File.ReadAllText(\"turing.txt\"));") // forbidden API
            .Right("return 1912;");

        int year = await agent<int>("the year Alan Turing was born");

        Assert.Equal(1912, year);
        g.AssertRetries("the year Alan Turing was born", "CS0029", "CS0103", "HOLE1006");
    }

    [Fact]
    public async Task Filtering_a_list_handed_in()
    {
        var xs = new List<int> { 0, 1, 2, 4, 7, 9, 10 };
        await using var g = new Gallery()
            .Wrong("return xs.Filter(x => x > 1);")                               // wrong member
            .Wrong("return xs.Where(x => x > 1 && ).ToList();")                   // syntax error
            .Wrong("return xs.Where(x => x > 1 && Enumerable.Range(2, x - 2).All(d => x % d != 0));") // wrong type
            .Right("return xs.Where(x => x > 1 && Enumerable.Range(2, x - 2).All(d => x % d != 0)).ToList();");

        List<int> primes = await agent<List<int>>("keep only the prime numbers in xs", xs);

        Assert.Equal([2, 7], primes);
        g.AssertRetries("keep only the prime numbers in xs", "CS1061", "CS1525", "CS0266");
        var prompt = g.Model.Requests[0].Prompt;
        Assert.Contains("`xs`: `System.Collections.Generic.List<int>` = [0, 1, 2, 4, 7, 9, 10] (7 items)", prompt, StringComparison.Ordinal);
        Assert.Contains("/* <-- this hole */", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generating_a_function()
    {
        const string roman =
            """
            var table = new (int Value, string Symbol)[] { (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I") };
            return n =>
            {
                var sb = new StringBuilder();
                foreach (var (value, symbol) in table)
                {
                    while (n >= value) { sb.Append(symbol); n -= value; }
                }
                return sb.ToString();
            };
            """;
        await using var g = new Gallery()
            .Wrong("return n => n.ToRoman();")                                    // wrong member
            .Wrong("return (int n) => n;")                                         // wrong type
            .Wrong("return n => { Console.WriteLine(n); return \"\"; };")         // forbidden API
            .Right(roman);

        Func<int, string> toRoman = await agent<Func<int, string>>("convert 1..3999 to Roman numerals");

        Assert.Equal("MCMXII", toRoman(1912));
        Assert.Equal("MMMCMXCIX", toRoman(3999));
        g.AssertRetries("convert 1..3999 to Roman numerals", "CS1061", "CS1662", "HOLE1011");
    }

    [Fact]
    public async Task A_record()
    {
        await using var g = new Gallery()
            .Wrong("return new Person(\"Alan Turing\", 1912);")                   // wrong constructor
            .Wrong("return new Person(\"Alan Turing\", 1912, \"computing\") { Nationality = \"British\" };") // wrong member
            .Wrong("return System.Text.Json.JsonSerializer.Deserialize<Person>(System.IO.File.OpenRead(\"p.json\"))!;") // forbidden
            .Right("return new Person(\"Alan Turing\", 1912, \"computer science\");");

        Person turing = await agent<Person>("basic facts about Alan Turing");

        Assert.Equal(new Person("Alan Turing", 1912, "computer science"), turing);
        g.AssertRetries("basic facts about Alan Turing", "CS7036", "CS0117", "HOLE1006");
        var prompt = g.Model.Requests[0].Prompt;
        Assert.Contains("record Person", prompt, StringComparison.Ordinal);
        Assert.Contains("Basic facts about a person.", prompt, StringComparison.Ordinal);
        Assert.Contains("/// BirthYear: Year of birth.", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dictionary()
    {
        var countries = new[] { "France", "Japan", "Kenya" };
        await using var g = new Gallery()
            .Wrong("return countries.ToDictionary(c => c, c => c.Length);")      // wrong type
            .Wrong("return Capitals.For(countries);")                             // unknown name
            .Wrong("var d = new Dictionary<string, string>() return d;")          // syntax error
            .Right("return new Dictionary<string, string> { [\"France\"] = \"Paris\", [\"Japan\"] = \"Tokyo\", [\"Kenya\"] = \"Nairobi\" };");

        Dictionary<string, string> capitals = await agent<Dictionary<string, string>>("the capital city of each of countries", countries);

        Assert.Equal("Nairobi", capitals["Kenya"]);
        g.AssertRetries("the capital city of each of countries", "CS0029", "CS0103", "CS1002");
    }

    [Fact]
    public async Task Sorting_by_world_knowledge()
    {
        var titles = new List<string> { "Dune", "Frankenstein", "Neuromancer", "Don Quixote" };
        const string right =
            """
            var year = new Dictionary<string, int> { ["Don Quixote"] = 1605, ["Frankenstein"] = 1818, ["Dune"] = 1965, ["Neuromancer"] = 1984 };
            return titles.OrderBy(t => year[t]).ToList();
            """;
        await using var g = new Gallery()
            .Wrong("return titles.SortBy(t => t);")                                // wrong member
            .Wrong("return titles.OrderBy(t => t.GetType().Name).ToList();")      // forbidden (reflection)
            .Wrong("return titles.OrderBy(t => t.Length);")                        // wrong type
            .Right(right);

        List<string> sorted = await agent<List<string>>("sort titles by first publication year, oldest first", titles);

        Assert.Equal(["Don Quixote", "Frankenstein", "Dune", "Neuromancer"], sorted);
        g.AssertRetries("sort titles by first publication year, oldest first", "CS1061", "HOLE1001", "CS0266");
    }

    [Fact]
    public async Task A_recursive_record_hierarchy()
    {
        const string right =
            """
            Json Book(string title, double year) => new JsonObject(new Dictionary<string, Json> { ["title"] = new JsonString(title), ["year"] = new JsonNumber(year) });
            return new JsonObject(new Dictionary<string, Json>
            {
                ["name"] = new JsonString("Little Library"),
                ["books"] = new JsonArray([Book("Dune", 1965), Book("Emma", 1815)]),
            });
            """;
        await using var g = new Gallery()
            .Wrong("return new JsonObj(new());")                                  // unknown type
            .Wrong("return new JsonArray(new List<Json>()) { Count = 2 };")       // wrong member
            .Wrong("dynamic library = new JsonObject(new()); return library;")    // forbidden (dynamic)
            .Right(right);

        Json library = await agent<Json>("a JSON value describing a small library with two books");

        var root = Assert.IsType<JsonObject>(library);
        Assert.Equal(2, Assert.IsType<JsonArray>(root.Properties["books"]).Items.Count);
        g.AssertRetries("a JSON value describing a small library with two books", "CS0246", "CS0117", "HOLE1002");
        Assert.Contains("record JsonObject", g.Model.Requests[0].Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serialising_a_value_in_scope()
    {
        var turing = new Person("Alan Turing", 1912, "computer science");
        await using var g = new Gallery()
            .Wrong("return turing.ToJson();")                                      // wrong member
            .Wrong("return System.Text.Json.JsonSerializer.Serialize(turing, typeof(Person));") // forbidden (System.Type)
            .Wrong("return System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(turing);")      // wrong type
            .Right("return System.Text.Json.JsonSerializer.Serialize(turing);");

        string json = await agent<string>("serialise turing as JSON", turing);

        Assert.Equal("{\"Name\":\"Alan Turing\",\"BirthYear\":1912,\"Field\":\"computer science\"}", json);
        g.AssertRetries("serialise turing as JSON", "CS1061", "HOLE1001", "CS0029");
    }

    [Fact]
    public async Task Standard_deviation_of_a_list()
    {
        var samples = new List<double> { 2, 4, 4, 4, 5, 5, 7, 9 };
        await using var g = new Gallery()
            .Wrong("return samples.StandardDeviation();")                          // wrong member
            .Wrong("return Math.Sqrt(variance);")                                  // unknown name
            .Wrong("GC.Collect(); return 0.0;")                                    // forbidden API
            .Right("var mean = samples.Average(); return Math.Sqrt(samples.Sum(x => (x - mean) * (x - mean)) / samples.Count);");

        double sd = await agent<double>("the population standard deviation of samples", samples);

        Assert.Equal(2.0, sd, 10);
        g.AssertRetries("the population standard deviation of samples", "CS1061", "CS0103", "HOLE1010");
    }

    [Fact]
    public async Task A_nested_hole_per_item()
    {
        var docs = new List<string>
        {
            "Holes fills typed holes in C# programs with model-written code.",
            "Roslyn type-checks every fill before it runs.",
            "Sessions keep variables across holes, like a REPL.",
        };
        const string right =
            """
            var summaries = new List<string>();
            foreach (var doc in docs)
            {
                summaries.Add(await agent<string>("summarise doc in five words", doc));
            }
            return summaries;
            """;
        await using var g = new Gallery()
            .Wrong("return docs.Select(d => agent<string>(\"summarise\", d)).ToList();")  // wrong type (List<Task<string>>)
            .Wrong("return docs.Summarise();")                                             // wrong member
            .Wrong("var summaries = new List<string>(); foreach (var doc in docs) summaries.Add(doc[..20]) return summaries;") // syntax
            .Right(right);
        g.Model.WhenTask("summarise doc in five words", r => $"return \"summary of \" + doc[..5];");

        List<string> summaries = await agent<List<string>>("summarise each of docs", docs);

        Assert.Equal(["summary of Holes", "summary of Rosly", "summary of Sessi"], summaries);
        g.AssertRetries("summarise each of docs", "CS0029", "CS1061", "CS1002");
        var nested = g.Model.Requests.Where(r => r.Task == "summarise doc in five words").ToList();
        Assert.Equal(3, nested.Count);
        Assert.All(nested, r =>
        {
            Assert.Contains("`doc`: `string`", r.Prompt, StringComparison.Ordinal);
            Assert.Contains("`docs`", r.Prompt, StringComparison.Ordinal);          // inherited from the parent
            Assert.Contains("Task: summarise each of docs", r.Prompt, StringComparison.Ordinal); // ancestor chain
            Assert.Contains("Nesting depth 2", r.Prompt, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_react_loop()
    {
        await using var g = new Gallery()
            .Wrong("return new Step(\"look it up\");")                             // wrong constructor
            .Wrong("return history.Last().Next();")                                // wrong member
            .Wrong("return new Step(\"t\", \"search\", System.Net.Dns.GetHostName());") // forbidden (network)
            .Right("return new Step(\"I need the capital first\", \"lookup capital of France\", null);");

        // The prompt shows the source around the hole, so the markers are built rather than written out here.
        var firstThought = "Thought = " + "I need the capital first";
        var secondThought = "Thought = " + "Paris it is";
        g.Model.When(r => r.Task.StartsWith("next step", StringComparison.Ordinal) && r.Prompt.Contains(firstThought, StringComparison.Ordinal) && !r.Prompt.Contains(secondThought, StringComparison.Ordinal),
            _ => FillReplies.Code("return new Step(\"Paris it is\", \"lookup population of Paris\", null);"));
        g.Model.When(r => r.Task.StartsWith("next step", StringComparison.Ordinal) && r.Prompt.Contains(secondThought, StringComparison.Ordinal),
            _ => FillReplies.Code("return new Step(\"done\", \"answer\", \"about 2.1 million\");"));

        var history = new List<Step>();
        Step step;
        do
        {
            step = await agent<Step>("next step towards: the population of the capital of France", history);
            history.Add(step);
        }
        while (!step.IsFinal && history.Count < 10);

        Assert.Equal(3, history.Count);
        Assert.Equal("about 2.1 million", step.Answer);
        g.AssertRetries("next step towards: the population of the capital of France", "CS7036", "CS1061", "HOLE1007");
    }

    [Fact]
    public async Task Parallel_sub_agents()
    {
        var topics = new[] { "Roslyn", "LINQ", "Span<T>" };
        const string right =
            """
            var lines = await Task.WhenAll(topics.Select(topic => agent<string>("one line about topic", topic)));
            return lines;
            """;
        await using var g = new Gallery()
            .Wrong("return topics.Select(t => agent<string>(\"one line about topic\", t)).ToArray();") // wrong type
            .Wrong("return await Task.WhenAll(topics.Select(t => Task.Run(() => t)));")               // forbidden (threads)
            .Wrong("return await Task.WhenAll(topics.Select(t => agent<string>(\"one line\", t))")     // syntax
            .Right(right);

        // Each sub-agent answers only once all three are in flight: this proves they run concurrently.
        var arrived = 0;
        var allInFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        g.Model.WhenAsync(r => r.Task == "one line about topic", async (r, ct) =>
        {
            if (Interlocked.Increment(ref arrived) == 3)
            {
                allInFlight.SetResult();
            }

            await allInFlight.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
            return FillReplies.Code("return topic + \": a line\";");
        });

        string[] lines = await agent<string[]>("one line about each of topics, researched in parallel", topics);

        Assert.Equal(["Roslyn: a line", "LINQ: a line", "Span<T>: a line"], lines);
        g.AssertRetries("one line about each of topics, researched in parallel", "CS0029", "HOLE1009", "CS1026");
    }
}
