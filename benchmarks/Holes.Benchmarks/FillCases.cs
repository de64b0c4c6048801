using System.Globalization;

namespace Holes.Benchmarks;

/// <summary>One realistic fill: statements ending in <c>return</c>, the type it must produce, and how to print its result.</summary>
internal interface IFillCase
{
    string Name { get; }

    /// <summary>The fill's code, identical on every path.</summary>
    string Code { get; }

    /// <summary>The type the fill must return.</summary>
    Type ResultType { get; }

    /// <summary>The C# spelling of <see cref="ResultType"/> for the floor's method signature.</summary>
    string ResultTypeName { get; }

    Task<object?> EngineAsync(AgentSession session, HoleBindings bindings);

    Task<object?> FloorAsync(FloorPath floor, FillGlobals values, double[]? stages = null);

    Task<object?> ScriptingAsync(ScriptingPath scripting);

    /// <summary>A stable text form of a result, to check that the three paths computed the same thing.</summary>
    string Describe(object? value);
}

internal sealed class FillCase<T>(string name, string resultTypeName, string code, Func<T, string> describe) : IFillCase
{
    public string Name => name;

    public string Code => code;

    public Type ResultType => typeof(T);

    public string ResultTypeName => resultTypeName;

    public async Task<object?> EngineAsync(AgentSession session, HoleBindings bindings)
    {
        var result = await session.ExecuteAsync<T>(code, bindings);
        return result.GetValueOrThrow();
    }

    public async Task<object?> FloorAsync(FloorPath floor, FillGlobals values, double[]? stages = null) =>
        await floor.RunAsync<T>(resultTypeName, code, values, stages);

    public async Task<object?> ScriptingAsync(ScriptingPath scripting) => await scripting.RunAsync<T>(code);

    public string Describe(object? value) => value is T typed ? describe(typed) : $"<not a {typeof(T).Name}: {value ?? "null"}>";
}

/// <summary>
/// The fills every path runs: the kinds of code a model writes for everyday holes (LACUNA's gallery: filter a list
/// in scope, aggregate, build a record or a dictionary, string work, a loop, generate a function).
/// </summary>
internal static class FillCases
{
    public static IReadOnlyList<IFillCase> All { get; } =
    [
        new FillCase<List<int>>("filter", "List<int>",
            """
            var evens = xs.Where(x => x % 2 == 0).ToList();
            return evens;
            """,
            Join),
        new FillCase<List<int>>("primes", "List<int>",
            """
            var primes = xs.Where(x => x > 1 && Enumerable.Range(2, x - 2).All(d => x % d != 0)).ToList();
            return primes;
            """,
            Join),
        new FillCase<int>("aggregate", "int",
            """
            var total = xs.Where(x => x > 10).Select(x => x * x).Sum();
            return total - xs.Count;
            """,
            v => v.ToString(CultureInfo.InvariantCulture)),
        new FillCase<double>("statistics", "double",
            """
            var mean = xs.Average();
            var variance = xs.Sum(x => (x - mean) * (x - mean)) / xs.Count;
            return Math.Round(Math.Sqrt(variance), 3);
            """,
            v => v.ToString("R", CultureInfo.InvariantCulture)),
        new FillCase<Dictionary<string, int>>("word-counts", "Dictionary<string, int>",
            """
            var counts = new Dictionary<string, int>();
            foreach (var word in words)
            {
                counts[word] = counts.TryGetValue(word, out var seen) ? seen + 1 : 1;
            }
            return counts;
            """,
            d => string.Join(",", d.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))),
        new FillCase<Dictionary<string, List<int>>>("group-by", "Dictionary<string, List<int>>",
            """
            var byParity = xs.GroupBy(x => x % 2 == 0 ? "even" : "odd").ToDictionary(g => g.Key, g => g.OrderByDescending(x => x).Take(3).ToList());
            return byParity;
            """,
            d => string.Join(";", d.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{Join(p.Value)}"))),
        new FillCase<Person>("record", "Holes.Benchmarks.Person",
            """
            var fields = new List<string> { "mathematics", "logic", "cryptanalysis", "computer science" };
            var person = new Holes.Benchmarks.Person("Alan Turing", 1912, fields.OrderBy(f => f.Length).ToList());
            return person;
            """,
            p => p.ToString()),
        new FillCase<string>("string-work", "string",
            """
            var sb = new StringBuilder();
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (sb.Length > 0) sb.Append('-');
                sb.Append(char.ToUpperInvariant(word[0])).Append(word.Substring(1));
            }
            return sb.ToString();
            """,
            s => s),
        new FillCase<long>("loop", "long",
            """
            var fib = new List<long> { 0, 1 };
            for (var i = 2; i < n; i++)
            {
                fib.Add(fib[i - 1] + fib[i - 2]);
            }
            return fib[n - 1];
            """,
            v => v.ToString(CultureInfo.InvariantCulture)),
        new FillCase<List<string>>("sort", "List<string>",
            """
            var longest = words.Distinct().OrderByDescending(w => w.Length).ThenBy(w => w, StringComparer.Ordinal).Take(5).ToList();
            return longest;
            """,
            l => string.Join(",", l)),
        new FillCase<Func<int, string>>("lambda", "Func<int, string>",
            """
            return number =>
            {
                var values = new[] { 1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1 };
                var symbols = new[] { "M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I" };
                var roman = new StringBuilder();
                for (var i = 0; i < values.Length; i++)
                {
                    while (number >= values[i])
                    {
                        roman.Append(symbols[i]);
                        number -= values[i];
                    }
                }
                return roman.ToString();
            };
            """,
            f => $"{f(1994)},{f(3999)},{f(4)}"),
    ];

    private static string Join(IEnumerable<int> values) => string.Join(",", values);
}
