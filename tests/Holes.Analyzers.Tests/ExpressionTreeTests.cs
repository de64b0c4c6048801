using static Holes.Analyzers.Tests.AnalyzerHarness;

namespace Holes.Analyzers.Tests;

public class ExpressionTreeTests
{
    [Fact]
    public void HoleInsideAnExpressionTreeLambda_IsReported()
    {
        var diagnostics = Analyze("""
            using System.Linq.Expressions;
            using static Holes.Agents;

            internal static class Query
            {
                public static Expression<Func<int, Task<bool>>> Filter()
                    => x => agent<bool>("is x interesting", x);

                public static IQueryable<int> Where(IQueryable<int> rows)
                    => from row in rows where agent<bool>("is row interesting", row).Result select row;
            }
            """);

        var reported = diagnostics.Where(d => d.Id == "HOLE018").ToArray();
        Assert.Equal(2, reported.Length);
        Assert.All(reported, d => Assert.Equal("agent<bool>", Text(d)));
        Assert.Contains("expression tree 'Expression<Func<int, Task<bool>>>'", Message(reported[0]), StringComparison.Ordinal);
        Assert.Contains("expression tree 'Expression<Func<int, bool>>'", Message(reported[1]), StringComparison.Ordinal);
    }

    [Fact]
    public void HoleInsideADelegateLambda_IsNotReported()
    {
        var diagnostics = Analyze("""
            using static Holes.Agents;

            internal static class Query
            {
                public static Func<int, Task<bool>> Filter() => x => agent<bool>("is x interesting", x);

                public static IEnumerable<Task<bool>> Where(IEnumerable<int> rows)
                    => from row in rows select agent<bool>("is row interesting", row);
            }
            """);

        None(diagnostics, "HOLE018");
    }
}
