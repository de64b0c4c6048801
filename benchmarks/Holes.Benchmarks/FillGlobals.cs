namespace Holes.Benchmarks;

/// <summary>
/// The values every benchmark fill can use, under the same names on every path: handed in as
/// <see cref="HoleBindings"/> (engine), as parameters of the wrapping method (floor), or as the script's globals
/// (scripting). Public because Roslyn scripting compiles the script against this type.
/// </summary>
#pragma warning disable IDE1006 // The names are the variable names fills use (xs, words, text, n).
#pragma warning disable CA1002 // List<T> on purpose: fills receive a List<int>, as in the Holes examples.
public sealed class FillGlobals
{
    /// <summary>A list of numbers, as in <c>agent&lt;List&lt;int&gt;&gt;("keep the primes", xs)</c>.</summary>
    public required List<int> xs { get; init; }

    /// <summary>A list of words with repeats.</summary>
    public required List<string> words { get; init; }

    /// <summary>A sentence.</summary>
    public required string text { get; init; }

    /// <summary>A small count.</summary>
    public required int n { get; init; }

    /// <summary>The fixed inputs every run uses.</summary>
    public static FillGlobals Create() => new()
    {
        xs = [0, 1, 2, 4, 7, 9, 10, 11, 13, 15, 16, 17, 19, 21, 23, 24, 25, 29, 31, 33, 36, 37, 40, 41, 43, 47, 49, 50, 53, 59],
        words =
        [
            "typed", "holes", "let", "a", "model", "write", "code", "the", "compiler", "checks", "the", "code",
            "before", "it", "runs", "and", "the", "session", "keeps", "what", "the", "code", "declared", "holes",
            "compose", "like", "ordinary", "calls", "model", "code",
        ],
        text = "the quick brown fox jumps over the lazy dog while the compiler checks every line",
        n = 40,
    };

    /// <summary>The same values as engine bindings, typed as the fills see them.</summary>
    public HoleBindings ToBindings() => new HoleBindings().Add("xs", xs).Add("words", words).Add("text", text).Add("n", n);
}
#pragma warning restore CA1002
#pragma warning restore IDE1006

/// <summary>A host record a fill builds (fills may not declare types, so records come from the host).</summary>
/// <param name="Name">A name.</param>
/// <param name="Born">A year.</param>
/// <param name="Fields">Fields of work.</param>
public sealed record Person(string Name, int Born, IReadOnlyList<string> Fields)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Born}): {string.Join(", ", Fields)}";
}
