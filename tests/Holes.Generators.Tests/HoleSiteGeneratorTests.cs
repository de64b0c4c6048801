using Microsoft.CodeAnalysis;

namespace Holes.Generators.Tests;

public class HoleSiteGeneratorTests
{
    [Fact]
    public void TopLevelProgram_WithListValueAndInternalRecordResult()
    {
        const string source = """
            using Holes;
            using static Holes.Agents;

            var xs = new List<int> { 0, 1, 2, 4, 7, 9, 10 };
            List<int> primes = await agent<List<int>>("keep only the prime numbers in xs", xs);
            Person turing = await agent<Person>("basic facts about Alan Turing");
            Console.WriteLine($"{primes.Count} {turing.Name}");

            internal record Person(string Name, int Born);
            """;

        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(source, OutputKind.ConsoleApplication));

        outcome.AssertCompilesCleanly();
        Assert.Equal(2, outcome.InterceptedCalls());
        Golden.AssertMatches("TopLevelProgram", outcome.Interceptors);
    }

    [Fact]
    public void HoleModel_OnTheMethodOrItsType_IsReadIntoTheSite_TheNearestWinning()
    {
        const string source = """
            using Holes;
            using static Holes.Agents;

            namespace Planning;

            [HoleModel("fast")]
            public static class Planner
            {
                [HoleModel("strong")]
                public static Task<string> PlanAsync(string goal) => agent<string>("a plan of small steps for goal", goal);

                public static async Task<int> CountAsync(string text)
                {
                    async Task<int> Local() => await agent<int>("count the words in text", text);
                    return await Local();
                }
            }

            public static class Plain
            {
                public static Task<string> EchoAsync(string s) => agent<string>("s, unchanged", s);
            }
            """;

        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(source));

        outcome.AssertCompilesCleanly();
        Assert.Equal(3, outcome.InterceptedCalls());
        Assert.Equal(2, outcome.Interceptors.Split("model: ").Length - 1);
        Assert.Contains("model: \"strong\");", outcome.Interceptors, StringComparison.Ordinal);
        Assert.Contains("model: \"fast\");", outcome.Interceptors, StringComparison.Ordinal);
        Golden.AssertMatches("HoleModel", outcome.Interceptors);
    }

    [Fact]
    public void ValueFromMemberAccess_IsNamedAfterTheMember()
    {
        const string source = """
            using static Holes.Agents;

            namespace Shop;

            public sealed class Order
            {
                public List<string> Items { get; } = new();
            }

            public static class Checkout
            {
                public static async Task<decimal> TotalAsync(Order order)
                {
                    return await agent<decimal>("sum the prices of the items", order.Items);
                }
            }
            """;

        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(source));

        outcome.AssertCompilesCleanly();
        Assert.Equal(1, outcome.InterceptedCalls());
        Golden.AssertMatches("MemberAccess", outcome.Interceptors);
    }

    [Fact]
    public void LoneTypedArray_IsOneValue_WrappedByTheInterceptor()
    {
        const string source = """
            using static Holes.Agents;

            string[] topics = ["Roslyn", "LINQ"];
            string[] lines = await agent<string[]>("one line about each of topics", topics);
            """;

        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(source, OutputKind.ConsoleApplication));

        outcome.AssertCompilesCleanly();
        Assert.Equal(1, outcome.InterceptedCalls());
        Assert.Contains("new object?[] { values }", outcome.Interceptors, StringComparison.Ordinal);
        Golden.AssertMatches("LoneTypedArray", outcome.Interceptors);
    }

    [Fact]
    public void CancellationTokenOverload_PassesTheToken()
    {
        const string source = """
            using Holes;

            internal static class Worker
            {
                internal static Task<string> SummarizeAsync(string text, CancellationToken cancellationToken)
                    => Agents.agent<string>("summarize text in one sentence", cancellationToken, text);
            }
            """;

        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(source));

        outcome.AssertCompilesCleanly();
        Assert.Equal(1, outcome.InterceptedCalls());
        Golden.AssertMatches("CancellationToken", outcome.Interceptors);
        Assert.Contains("FillAsync<T>(s_site0, task, values, cancellationToken)", outcome.Interceptors, StringComparison.Ordinal);
    }

    [Fact]
    public void MultipleSitesInOneFile_GetOneDescriptorAndInterceptorEach()
    {
        const string source = """
            using static Holes.Agents;

            internal sealed class Customer
            {
                public string Name { get; set; } = "";
            }

            internal static class Reports
            {
                public static async Task RunAsync(Customer a, Customer b, int[] scores)
                {
                    bool same = await agent<bool>("are these the same person?", a.Name, b.Name);
                    double mean = await agent<double>("mean of scores", scores, 42, null);
                    var (low, high) = await agent<(int Low, int High)>("range of scores", scores);
                    Console.WriteLine($"{same} {mean} {low} {high}");
                }
            }
            """;

        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(source));

        outcome.AssertCompilesCleanly();
        Assert.Equal(3, outcome.InterceptedCalls());
        Golden.AssertMatches("MultipleSites", outcome.Interceptors);
        Assert.Equal(3, CountOccurrences(outcome.Interceptors, "[global::System.Runtime.CompilerServices.InterceptsLocation("));
    }

    [Fact]
    public void SiteInNamespaceMethod_DeclaresDocumentedRecord()
    {
        const string source = """
            using Holes;
            using static Holes.Agents;

            namespace Museum.Catalog
            {
                /// <summary>A person the museum has records about.</summary>
                /// <param name="Name">Full name.</param>
                public record Person(string Name, int Born)
                {
                    /// <summary>Age the person reached, or would have reached, in <paramref name="year"/>.</summary>
                    public int AgeIn(int year) => year - Born;

                    /// <summary>Where the person was born, if known.</summary>
                    public Place? Birthplace { get; init; }
                }

                /// <summary>A city and its country.</summary>
                public sealed record Place(string City, string Country);

                public static class Lookup
                {
                    public static Task<Person> FindAsync(string name)
                        => agent<Person>("basic facts about the person called name", name);
                }
            }
            """;

        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(source));

        outcome.AssertCompilesCleanly();
        Golden.AssertMatches("NamespacedDocumentedRecord", outcome.Interceptors);
        Assert.Contains("/// A person the museum has records about.", outcome.Interceptors, StringComparison.Ordinal);
        Assert.Contains("/// A city and its country.", outcome.Interceptors, StringComparison.Ordinal);
    }

    [Fact]
    public void UnnameableTypes_FallBackToObject_AndStillIntercept()
    {
        const string source = """
            using static Holes.Agents;

            internal static class Program
            {
                private sealed class Secret { }

                public static async Task<TItem> PickAsync<TItem>(TItem item, IEnumerable<TItem> items)
                {
                    var pair = new { Left = 1, Right = 2 };
                    Func<Task<int>> later = async () => await agent<int>("sum of pair", pair, new Secret());
                    Console.WriteLine(await later());
                    return await agent<TItem>("pick the item most like item", item, items);
                }
            }
            """;

        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(source));

        outcome.AssertCompilesCleanly();
        Assert.Equal(2, outcome.InterceptedCalls());
        Golden.AssertMatches("UnnameableTypes", outcome.Interceptors);
    }

    [Fact]
    public void WithoutHolesReference_NothingIsGenerated()
    {
        const string source = """
            internal static class Program
            {
                // Same shape as Holes' entry point, but not Holes'.
                private static Task<T> agent<T>(string task, params object?[] values) => Task.FromResult(default(T)!);

                private static async Task Main() => Console.WriteLine(await agent<int>("x", 1));
            }
            """;
        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(
            [("/src/GlobalUsings.g.cs", GeneratorHarness.GlobalUsings), ("/src/Program.cs", source)],
            referenceHoles: false,
            outputKind: OutputKind.ConsoleApplication));

        outcome.AssertCompilesCleanly();
        Assert.Empty(outcome.Result.GeneratedSources);
    }

    [Fact]
    public void ExplicitArrayOrNamedValues_AreNotIntercepted()
    {
        const string source = """
            using static Holes.Agents;

            internal static class Program
            {
                public static async Task RunAsync(object?[] arr, CancellationToken ct)
                {
                    await agent<int>("count the values", arr);
                    await agent<int>("count the values", ct, arr);
                    await agent<int>("count the values", values: arr);
                }
            }
            """;

        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(source));

        outcome.AssertCompilesCleanly();
        Assert.Equal(0, outcome.InterceptedCalls());
        Assert.Null(outcome.Source("Holes.Interceptors.g.cs"));
        Assert.NotNull(outcome.Source("Holes.InternalsVisibleTo.g.cs"));
    }

    [Fact]
    public void ReferencingHoles_GrantsFillsAccessToInternals()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile("internal record Person(string Name);"));

        outcome.AssertCompilesCleanly();
        Assert.Null(outcome.Source("Holes.Interceptors.g.cs"));
        Golden.AssertMatches("InternalsVisibleTo", outcome.Source("Holes.InternalsVisibleTo.g.cs") ?? "");
        Assert.Contains(
            outcome.Output.Assembly.GetAttributes(),
            attribute => attribute.AttributeClass?.Name == "InternalsVisibleToAttribute"
                && (string?)attribute.ConstructorArguments[0].Value == "Holes.Fill");
    }

    [Fact]
    public void PureMembers_AreHandedToTheRuntimeAsEffectFree_ThoughTheCompilerDropsTheAttribute()
    {
        const string source = """
            using System.Diagnostics.Contracts;
            public static class Rates
            {
                public static int Calls;
                [Pure] public static decimal Round(decimal x) { Calls++; return decimal.Round(x, 2); }
                public static decimal Lookup(string currency) => 1m;
                [Pure] public static string Name => "rates";
            }
            [Pure] public static class Formats { public static string Money(decimal x) => x.ToString("0.00"); public static int Width { get; } = 8; }
            """;

        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(source));

        outcome.AssertCompilesCleanly();
        var pure = outcome.Source("Holes.DeclaredPure.g.cs") ?? "";
        Assert.Contains("[assembly: global::Holes.Runtime.HoleEffectFree(\"M:Rates.Round(System.Decimal)\")]", pure);
        Assert.Contains("[assembly: global::Holes.Runtime.HoleEffectFree(\"P:Rates.Name\")]", pure);
        Assert.Contains("[assembly: global::Holes.Runtime.HoleEffectFree(\"M:Formats.Money(System.Decimal)\")]", pure);
        Assert.Contains("[assembly: global::Holes.Runtime.HoleEffectFree(\"P:Formats.Width\")]", pure);
        Assert.DoesNotContain("Lookup", pure);
        Assert.Contains(outcome.Output.Assembly.GetAttributes(), a => a.AttributeClass?.Name == "HoleEffectFreeAttribute");
    }

    [Fact]
    public void PureMembers_WithoutAReferenceToHoles_GenerateNothing()
    {
        var compilation = GeneratorHarness.Compile([("/src/Program.cs", "public static class Rates { [System.Diagnostics.Contracts.Pure] public static int One() => 1; }")], referenceHoles: false);

        GeneratorOutcome outcome = GeneratorHarness.Run(compilation);

        Assert.Null(outcome.Source("Holes.DeclaredPure.g.cs"));
    }

    [Fact]
    public void ExistingInternalsVisibleToHolesFill_IsNotDuplicated()
    {
        const string source = """
            [assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Holes.Fill")]
            internal record Person(string Name);
            """;

        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(source));

        outcome.AssertCompilesCleanly();
        Assert.Empty(outcome.Result.GeneratedSources);
    }

    [Fact]
    public void UnrelatedEdit_LeavesThePipelineCached()
    {
        const string program = """
            using static Holes.Agents;

            internal static class Program
            {
                public static Task<int> CountAsync(List<int> xs) => agent<int>("count the even numbers in xs", xs);
            }
            """;
        Compilation first = GeneratorHarness.Compile(
        [
            ("/src/GlobalUsings.g.cs", GeneratorHarness.GlobalUsings),
            ("/src/Program.cs", program),
            ("/src/Other.cs", "internal static class Other { public static int Value => 1; }"),
        ]);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(first);

        SyntaxTree other = first.SyntaxTrees.Single(tree => tree.FilePath == "/src/Other.cs");
        Compilation second = first.ReplaceSyntaxTree(
            other,
            other.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(
                "internal static class Other { public static int Value => 2; /* edited */ }")));
        GeneratorRunResult result = driver.RunGenerators(second).GetRunResult().Results.Single();

        foreach (string step in new[] { TrackingNames.Sites, TrackingNames.GlobalUsings, TrackingNames.Compilation })
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps[step])
            {
                foreach ((object _, IncrementalStepRunReason reason) in run.Outputs)
                {
                    Assert.True(
                        reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"step {step} output was {reason}");
                }
            }
        }

        Assert.NotEmpty(result.TrackedOutputSteps);
        foreach (IncrementalGeneratorRunStep run in result.TrackedOutputSteps.SelectMany(pair => pair.Value))
        {
            foreach ((object _, IncrementalStepRunReason reason) in run.Outputs)
            {
                Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output was {reason}");
            }
        }
    }

    [Fact]
    public void Output_IsDeterministic()
    {
        const string source = """
            using static Holes.Agents;

            internal static class Program
            {
                public static Task<string> NameAsync(int[] xs) => agent<string>("name the sequence xs", xs);
            }
            """;

        string first = GeneratorHarness.Run(GeneratorHarness.Compile(source)).Interceptors;
        string second = GeneratorHarness.Run(GeneratorHarness.Compile(source)).Interceptors;

        Assert.Equal(first, second);
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
