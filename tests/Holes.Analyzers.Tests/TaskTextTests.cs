using Microsoft.CodeAnalysis;
using static Holes.Analyzers.Tests.AnalyzerHarness;

namespace Holes.Analyzers.Tests;

public class TaskTextTests
{
    [Fact]
    public void TaskNamingAVariableThatIsNotHandedIn_IsReportedOnTheWord()
    {
        var diagnostics = Analyze("""
            using static Holes.Agents;

            var xs = new List<int> { 0, 1, 2, 4, 7 };
            var ys = new List<int> { 3 };
            List<int> primes = await agent<List<int>>("keep only the prime numbers in xs", ys);
            """, outputKind: OutputKind.ConsoleApplication);

        var diagnostic = Single(diagnostics, "HOLE017");
        Assert.Equal("xs", Text(diagnostic));
        Assert.Equal("xs", diagnostic.Properties["Name"]);
        Assert.Equal(
            "The task names 'xs', which is in scope here but not handed to the hole, so the fill cannot see it; add 'xs' to the hole's values",
            Message(diagnostic));
    }

    [Fact]
    public void ParametersAndInterpolatedText_AreChecked()
    {
        var diagnostics = Analyze("""
            using static Holes.Agents;

            internal static class Shop
            {
                public static async Task<decimal> TotalAsync(List<decimal> prices, decimal discount, int count)
                    => await agent<decimal>($"apply discount to the sum of prices, {count} items", prices);
            }
            """);

        // 'count' is interpolated: its value is in the text, so it is not a name the fill needs.
        var diagnostic = Single(diagnostics, "HOLE017");
        Assert.Equal("discount", Text(diagnostic));
    }

    [Fact]
    public void HandedInOrUnrelatedWords_AreNotReported()
    {
        var diagnostics = Analyze("""
            using static Holes.Agents;

            internal static class Shop
            {
                public static async Task<decimal> TotalAsync(List<decimal> prices, CancellationToken ct)
                {
                    var a = 1m;
                    // Handed in (as a value or as the token), or declared by the call itself.
                    var total = await agent<decimal>("a total of the prices; stop when ct is cancelled", ct, prices);
                    // 'later' is declared after the call; 'a' is read as prose.
                    var first = await agent<decimal>("first a total, later a discount", total, a);
                    var later = first;
                    return later;
                }
            }
            """);

        None(diagnostics, "HOLE017");
    }
}
