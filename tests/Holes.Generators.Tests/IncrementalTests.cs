using System.Collections;
using System.Reflection;
using Holes.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Holes.Generators.Tests;

/// <summary>
/// The generator's pipeline is incremental: a rerun, or an edit that changes no site, leaves every step Cached or
/// Unchanged.
/// </summary>
public class IncrementalTests
{
    private const string Program = """
        using static Holes.Agents;

        namespace App;

        public static class Program
        {
            public static Task<int> CountAsync(List<int> xs) => agent<int>("count the even numbers in xs", xs);
            public static async Task<T> Ask<T>(string task) => await agent<T>(task);
        }
        """;

    private const string Other = """
        namespace App;

        public static class Other
        {
            public static int Value => 1;
        }

        public sealed record Item(string Name);
        """;

    private static readonly string[] s_steps =
    [
        TrackingNames.Sites, TrackingNames.GlobalUsings, TrackingNames.Compilation,
    ];

    [Fact]
    public void A_rerun_of_the_same_compilation_is_all_cached()
    {
        Compilation compilation = Compile(Other);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        GeneratorRunResult result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        AssertAllCachedOrUnchanged(result);
    }

    [Theory]
    [InlineData("// a comment\n")]
    [InlineData("/* a comment */ ")]
    public void A_comment_in_another_file_leaves_every_step_cached_or_unchanged(string comment)
    {
        Compilation first = Compile(Other);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(first);

        GeneratorRunResult result = driver.RunGenerators(Edit(first, comment + Other)).GetRunResult().Results.Single();

        AssertAllCachedOrUnchanged(result);
    }

    [Fact]
    public void An_edit_inside_a_body_leaves_every_step_cached_or_unchanged()
    {
        // The generator describes sites only (the effect table comes from the build step): a body edit outside a hole
        // changes no site, so nothing downstream of the syntax is recomputed.
        Compilation first = Compile(Other);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(first);

        GeneratorRunResult result = driver.RunGenerators(Edit(first, Other.Replace("=> 1;", "=> 2;", StringComparison.Ordinal))).GetRunResult().Results.Single();

        AssertAllCachedOrUnchanged(result);
        Assert.DoesNotContain(result.GeneratedSources, source => source.HintName == "Holes.Effects.g.cs");
    }

    [Fact]
    public void Remembered_sites_follow_edits_to_the_declarations_they_describe()
    {
        const string program = """
            using static Holes.Agents;

            namespace App;

            public static class Program
            {
                public static Task<Item> FindAsync(string name) => agent<Item>("the item called name", name);
            }
            """;
        Compilation first = GeneratorHarness.Compile(
        [
            ("/src/GlobalUsings.g.cs", GeneratorHarness.GlobalUsings),
            ("/src/Program.cs", program),
            ("/src/Other.cs", Other),
        ]);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(first);

        // Program.cs is untouched, but the record its hole returns gains a doc comment, then a member.
        string documented = Other.Replace(
            "public sealed record Item(string Name);", "/// <summary>Something in stock.</summary>\npublic sealed record Item(string Name);", StringComparison.Ordinal);
        driver = driver.RunGenerators(Edit(first, documented));
        Assert.Contains("/// Something in stock.", Interceptors(driver), StringComparison.Ordinal);

        string grown = documented.Replace("(string Name);", "(string Name) { public int Count { get; init; } }", StringComparison.Ordinal);
        driver = driver.RunGenerators(Edit(first, grown));
        Assert.Contains("public int Count { get; init; }", Interceptors(driver), StringComparison.Ordinal);
    }

    private static string Interceptors(GeneratorDriver driver) => driver.GetRunResult().Results.Single().GeneratedSources
        .Single(s => s.HintName == "Holes.Interceptors.g.cs").SourceText.ToString();

    [Fact]
    public void Pipeline_models_hold_only_values_never_symbols_or_syntax()
    {
        Type[] roots =
        [
            typeof(HoleSiteSpec), typeof(CompilationSpec), typeof(EquatableArray<string>),
        ];
        IEnumerable<Type> specs = typeof(HoleSiteGenerator).Assembly.GetTypes().Where(t => t.Name.EndsWith("Spec", StringComparison.Ordinal));

        var seen = new HashSet<Type>();
        foreach (Type root in roots.Concat(specs))
        {
            AssertValueOnly(root, root.Name, seen);
        }

    }

    private static void AssertValueOnly(Type type, string path, HashSet<Type> seen)
    {
        if (type.IsEnum || type.IsPrimitive || type == typeof(string) || !seen.Add(type))
        {
            return;
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            AssertValueOnly(underlying, path, seen);
            return;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
        {
            AssertValueOnly(type.GetGenericArguments()[0], path + "[]", seen);
            return;
        }

        Assert.False(typeof(ISymbol).IsAssignableFrom(type) || typeof(SyntaxNode).IsAssignableFrom(type) || typeof(SyntaxTree).IsAssignableFrom(type) ||
            typeof(Compilation).IsAssignableFrom(type) || typeof(SemanticModel).IsAssignableFrom(type) || typeof(Location).IsAssignableFrom(type) ||
            typeof(Microsoft.CodeAnalysis.IOperation).IsAssignableFrom(type), $"{path} is a {type.Name}: pipeline models must not hold Roslyn objects.");
        Assert.False(typeof(IEnumerable).IsAssignableFrom(type), $"{path} is a {type.Name}, which compares by reference; use EquatableArray<T>.");
        Assert.True(type.IsSealed && typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type), $"{path} ({type.Name}) must be a sealed type with value equality.");

        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (property.Name != "EqualityContract")
            {
                AssertValueOnly(property.PropertyType, path + "." + property.Name, seen);
            }
        }
    }

    private static Compilation Compile(string other) => GeneratorHarness.Compile(
    [
        ("/src/GlobalUsings.g.cs", GeneratorHarness.GlobalUsings),
        ("/src/Program.cs", Program),
        ("/src/Other.cs", other),
    ]);

    private static Compilation Edit(Compilation compilation, string other)
    {
        SyntaxTree tree = compilation.SyntaxTrees.Single(t => t.FilePath == "/src/Other.cs");
        return compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(other)));
    }

    private static void AssertAllCachedOrUnchanged(GeneratorRunResult result, string? except = null)
    {
        foreach (string step in s_steps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
            if (step == except)
            {
                continue;
            }

            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps[step])
            {
                foreach ((object _, IncrementalStepRunReason reason) in run.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {step} output was {reason}");
                }
            }
        }

        Assert.NotEmpty(result.TrackedOutputSteps);
        foreach ((string name, var runs) in result.TrackedOutputSteps)
        {
            foreach ((object _, IncrementalStepRunReason reason) in runs.SelectMany(run => run.Outputs))
            {
                Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output {name} was {reason}");
            }
        }
    }
}
