using Microsoft.CodeAnalysis;

namespace Holes.Generators.Tests;

/// <summary>
/// Every place a hole can stand gets its own descriptor and interceptor: lambdas, local functions, async methods,
/// top-level statements, partial classes, nested types, several holes on one line, generic methods; and the hole
/// bound in force there travels in the site.
/// </summary>
public class SiteCompletenessTests
{
    [Fact]
    public void HolesInLambdasAndLocalFunctions_AreIntercepted()
    {
        const string source = """
            using static Holes.Agents;

            internal static class Pipeline
            {
                public static async Task<string> RunAsync(int count)
                {
                    Func<int, Task<int>> square = async n => await agent<int>("square n", n);
                    async Task<string> Label(int value) => await agent<string>("a label for value", value);
                    return await Label(await square(count));
                }
            }
            """;

        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(source));

        outcome.AssertCompilesCleanly();
        Assert.Equal(2, outcome.InterceptedCalls());
        Golden.AssertMatches("LambdaAndLocalFunction", outcome.Interceptors);
    }

    [Fact]
    public void HolesInTopLevelStatementsAndTheirLocalFunctions_AreIntercepted()
    {
        const string source = """
            using static Holes.Agents;

            var name = await agent<string>("a name for a cat");
            Console.WriteLine(await Describe(name));

            async Task<string> Describe(string cat) => await agent<string>("describe cat in one line", cat);
            """;

        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(source, OutputKind.ConsoleApplication));

        outcome.AssertCompilesCleanly();
        Assert.Equal(2, outcome.InterceptedCalls());
        Golden.AssertMatches("TopLevelLocalFunction", outcome.Interceptors);
    }

    [Fact]
    public void HolesInPartialClassesAndNestedTypes_AreIntercepted()
    {
        const string first = """
            using static Holes.Agents;

            namespace Shop;

            public partial class Catalog
            {
                public Task<Item> FindAsync(string name) => agent<Item>("find the item called name", name);

                public sealed record Item(string Name, decimal Price);
            }
            """;
        const string second = """
            using static Holes.Agents;

            namespace Shop;

            public partial class Catalog
            {
                internal static class Pricing
                {
                    public static Task<decimal> TotalAsync(IReadOnlyList<Item> items) => agent<decimal>("sum the prices of items", items);
                }
            }
            """;

        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(
        [
            ("/src/GlobalUsings.g.cs", GeneratorHarness.GlobalUsings),
            ("/src/Catalog.cs", first),
            ("/src/Catalog.Pricing.cs", second),
        ]));

        outcome.AssertCompilesCleanly();
        Assert.Equal(2, outcome.InterceptedCalls());
        Golden.AssertMatches("PartialAndNested", outcome.Interceptors);
        Assert.Contains("memberName: \"Catalog.Pricing.TotalAsync\"", outcome.Interceptors, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralHolesOnOneLine_GetDistinctSites()
    {
        const string source = """
            using static Holes.Agents;

            internal static class Pair
            {
                public static async Task<(int, int)> BothAsync() => (await agent<int>("the first"), await agent<int>("the second"));
            }
            """;

        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(source));

        outcome.AssertCompilesCleanly();
        Assert.Equal(2, outcome.InterceptedCalls());
        Golden.AssertMatches("OneLineTwoHoles", outcome.Interceptors);
        Assert.Contains("line: 5,\n            column: 64,", outcome.Interceptors, StringComparison.Ordinal);
        Assert.Contains("line: 5,\n            column: 95,", outcome.Interceptors, StringComparison.Ordinal);
    }

    [Fact]
    public void HolesInGenericMethods_SpellTheirTypesOpen_AndNameTheTypeParameters()
    {
        const string source = """
            using static Holes.Agents;

            internal static class Asking
            {
                public static async Task<T> Ask<T>(string task) => await agent<T>(task);

                public static Task<List<TItem>> PickAsync<TItem>(TItem seed, IEnumerable<TItem> items, TItem[]? extra)
                    => agent<List<TItem>>("the items most like seed", seed, items, extra);
            }

            internal sealed class Box<TValue>
            {
                public Task<Dictionary<string, TValue>> IndexAsync(TValue value) => agent<Dictionary<string, TValue>>("index value", value);
            }
            """;

        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(source));

        outcome.AssertCompilesCleanly();
        Assert.Equal(3, outcome.InterceptedCalls());
        Golden.AssertMatches("GenericMethods", outcome.Interceptors);
        Assert.Contains("resultType: \"T\",", outcome.Interceptors, StringComparison.Ordinal);
        Assert.Contains("resultType: \"global::System.Collections.Generic.List<TItem>\",", outcome.Interceptors, StringComparison.Ordinal);
        Assert.Contains("new global::Holes.Runtime.HoleParameter(\"items\", \"global::System.Collections.Generic.IEnumerable<TItem>\", \"items\")", outcome.Interceptors, StringComparison.Ordinal);
    }

    [Fact]
    public void HoleBounds_TravelInTheSite_OnlyWhereOneApplies()
    {
        const string source = """
            using Holes;
            using static Holes.Agents;

            namespace Mail;

            [Capability]
            public interface IMailbox { void Send(string to, string body); }

            public static class Office
            {
                public sealed class Tickets { }

                [HoleBound(typeof(IMailbox), typeof(Tickets))]
                public static Task<int> TriageAsync(IMailbox mailbox) => agent<int>("answer the urgent mail", mailbox);

                public static Task<int> CountAsync(string text)
                {
                    Func<Task<int>> inLambda = [HoleBound(typeof(IMailbox))] () => agent<int>("count the sentences in text", text);
                    return agent<int>("count the words in text", text);
                }
            }

            [PureHoles]
            public sealed class Summaries
            {
                public Task<string> SummariseAsync(string text) => agent<string>("summarise text", text);
            }
            """;

        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(source));

        outcome.AssertCompilesCleanly();
        Assert.Equal(4, outcome.InterceptedCalls());
        Golden.AssertMatches("CapabilityBounds", outcome.Interceptors);
        Assert.Contains("\"Mail.Office+Tickets\",", outcome.Interceptors, StringComparison.Ordinal);
        Assert.Contains("capabilityBound: global::System.Array.Empty<string>());", outcome.Interceptors, StringComparison.Ordinal);
        Assert.Equal(3, CountOccurrences(outcome.Interceptors, "capabilityBound:"));
    }

    private static int CountOccurrences(string text, string value)
    {
        int count = 0;
        for (int index = text.IndexOf(value, StringComparison.Ordinal); index >= 0; index = text.IndexOf(value, index + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
