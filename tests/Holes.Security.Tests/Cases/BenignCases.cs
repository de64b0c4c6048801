using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

/// <summary>
/// The benign corpus: code in the style a model writes for real algorithm and data-wrangling tasks, each with the
/// exact value it must produce. Every case runs in both modes; a rejection is a false reject.
/// </summary>
public static partial class BenignCases
{
    public static IReadOnlyList<BenignCase> All { get; } = [.. Text(), .. Collections(), .. Async(), .. Data(), .. Numbers(), .. Algorithms(), .. Capabilities()];

    public static IReadOnlyDictionary<string, BenignCase> ByName { get; } = All.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static TheoryData<string, HoleIsolation> Data(BenignGroup group)
    {
        var data = new TheoryData<string, HoleIsolation>();
        foreach (var benign in All.Where(c => c.Group == group))
        {
            data.Add(benign.Name, HoleIsolation.InProcess);
            data.Add(benign.Name, HoleIsolation.Process);
        }

        return data;
    }
}
