using static Holes.Analyzers.Tests.AnalyzerHarness;

namespace Holes.Analyzers.Tests;

public class ValueNameTests
{
    [Fact]
    public void ValuesWithoutANameOfTheirOwn_AreReported()
    {
        var diagnostics = Analyze("""
            using static Holes.Agents;

            internal static class Program
            {
                private static List<int> Load() => [1, 2];

                public static async Task<int> RunAsync(int a, int b, List<int> xs)
                    => await agent<int>("combine them", a + b, 42, Load(), xs.ToList(), xs);
            }
            """);

        var unnamed = diagnostics.Where(d => d.Id == "HOLE011").ToArray();
        Assert.Equal(["a + b", "42", "Load()", "xs.ToList()"], unnamed.Select(Text));
        Assert.Contains("'a + b'", Message(unnamed[0]), StringComparison.Ordinal);
        Assert.Contains("sees it as 'value0'", Message(unnamed[0]), StringComparison.Ordinal);
        Assert.Contains("sees it as 'ToList'", Message(unnamed[3]), StringComparison.Ordinal);
        Assert.All(unnamed, d => Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, d.Severity));
    }

    [Fact]
    public void NamedValues_AreNotReported()
    {
        var diagnostics = Analyze("""
            using static Holes.Agents;

            public sealed class Order
            {
                public List<string> Items { get; } = [];
            }

            internal static class Program
            {
                public static async Task<int> RunAsync(Order order, List<int> xs, CancellationToken ct)
                    => await agent<int>("count xs and the Items of the order", ct, xs, order.Items, (object)order, order!);
            }
            """);

        None(diagnostics, "HOLE011");
    }

    [Fact]
    public void ValuesSharingAName_AreReported()
    {
        var diagnostics = Analyze("""
            using static Holes.Agents;

            public sealed record Person(string Name);

            internal static class Program
            {
                public static async Task<bool> RunAsync(Person a, Person b)
                    => await agent<bool>("are the names alike", a.Name, b.Name);
            }
            """);

        var diagnostic = Single(diagnostics, "HOLE012");
        Assert.Equal("b.Name", Text(diagnostic));
        Assert.Equal(
            "The values 'a.Name' and 'b.Name' handed to this hole are both named 'Name', so the fill sees them as 'Name' and 'Name2' and the task cannot tell them apart; assign one of them to a local with a distinct name and hand in the local",
            Message(diagnostic));
    }

    [Fact]
    public void DistinctNames_AreNotReported()
    {
        var diagnostics = Analyze("""
            using static Holes.Agents;

            public sealed record Person(string Name, string Title);

            internal static class Program
            {
                public static async Task<bool> RunAsync(Person a, Person b)
                {
                    string other = b.Name;
                    return await agent<bool>("are the names alike", a.Name, other, a.Title);
                }
            }
            """);

        None(diagnostics, "HOLE012");
    }

    [Fact]
    public void AnArrayOfValuesPassedWhole_IsLeftAlone()
    {
        var diagnostics = Analyze("""
            using static Holes.Agents;

            internal static class Program
            {
                public static async Task<int> RunAsync(object?[] values) => await agent<int>("count values", values);
            }
            """);

        Assert.Empty(diagnostics);
    }
}
