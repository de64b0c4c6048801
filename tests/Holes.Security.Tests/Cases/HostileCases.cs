using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

/// <summary>
/// The hostile corpus. Each family lives in a file of its own (HostileCases.Budget.cs, ...); a case is one line.
/// Every case runs in both modes (see the test classes in Tests/HostileTests.cs).
/// </summary>
public static partial class HostileCases
{
    public static IReadOnlyList<HostileCase> All { get; } =
    [
        .. Budget(), .. Stack(), .. HeapLimitedStack(), .. Memory(), .. Concurrency(), .. ProcessState(), .. Blocking(), .. Verifier(),
        .. Session(), .. CompileBombs(), .. Forging(), .. ScopeEscape(), .. ClassifiedLeaks(), .. Injection(),
    ];

    public static IReadOnlyDictionary<string, HostileCase> ByName { get; } = Index(All);

    /// <summary>The theory rows of one family: every case, in each mode.</summary>
    public static TheoryData<string, HoleIsolation> Data(Category category)
    {
        var data = new TheoryData<string, HoleIsolation>();
        foreach (var hostile in All.Where(c => c.Category == category))
        {
            data.Add(hostile.Name, HoleIsolation.InProcess);
            data.Add(hostile.Name, HoleIsolation.Process);
        }

        return data;
    }

    private static Dictionary<string, HostileCase> Index(IReadOnlyList<HostileCase> cases)
    {
        var index = new Dictionary<string, HostileCase>(StringComparer.Ordinal);
        foreach (var hostile in cases)
        {
            if (!index.TryAdd(hostile.Name, hostile))
            {
                throw new InvalidOperationException($"Two hostile cases are named '{hostile.Name}'.");
            }
        }

        return index;
    }
}
