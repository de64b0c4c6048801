using static Holes.Analyzers.Tests.AnalyzerHarness;

namespace Holes.Analyzers.Tests;

public class ResultTypeTests
{
    [Fact]
    public void PrivateNestedResultType_IsReported_WithTheFix()
    {
        var diagnostics = Analyze("""
            using static Holes.Agents;

            internal static class Program
            {
                private sealed class Secret { }

                public static async Task RunAsync() => await agent<Secret>("make a secret");
            }
            """);

        var diagnostic = Single(diagnostics, "HOLE010");
        Assert.Equal("Secret", Text(diagnostic));
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("'Program.Secret' is private", Message(diagnostic), StringComparison.Ordinal);
        Assert.Contains("make it internal", Message(diagnostic), StringComparison.Ordinal);
    }

    [Fact]
    public void InaccessibleTypeInsideTheResultType_IsReported()
    {
        var diagnostics = Analyze("""
            using static Holes.Agents;

            internal class Program
            {
                protected record Row(int Id);

                public static async Task RunAsync() => await agent<List<Row[]>>("three rows");
            }
            """);

        var diagnostic = Single(diagnostics, "HOLE010");
        Assert.Contains("'List<Program.Row[]>'", Message(diagnostic), StringComparison.Ordinal);
        Assert.Contains("'Program.Row' is protected", Message(diagnostic), StringComparison.Ordinal);
    }

    [Fact]
    public void FileLocalResultType_IsReported()
    {
        var diagnostics = Analyze("""
            using static Holes.Agents;

            file sealed class Local { }

            internal static class Program
            {
                public static async Task RunAsync() => await agent<Local>("one");
            }
            """);

        Assert.Contains("file-local", Message(Single(diagnostics, "HOLE010")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("void", "'void' is no value")]
    [InlineData("int*", "is a pointer")]
    [InlineData("Span<int>", "is a ref struct")]
    public void TypesThatCannotBeTypeArguments_AreExplained(string type, string reason)
    {
        var diagnostics = Analyze($$"""
            using static Holes.Agents;

            internal static class Program
            {
                public static void Run() => agent<{{type}}>("something");
            }
            """, allowErrors: true);

        var diagnostic = Single(diagnostics, "HOLE010");
        Assert.Equal(type, Text(diagnostic));
        Assert.Contains(reason, Message(diagnostic), StringComparison.Ordinal);
    }

    [Fact]
    public void NameableResultTypes_AreNotReported()
    {
        var diagnostics = Analyze("""
            using static Holes.Agents;

            public record Person(string Name);

            internal class Program
            {
                internal sealed class Inner { }

                protected internal sealed class Shared { }

                // Holes in generic methods work: the runtime names the type the call was made with.
                public static Task<T> PickAsync<T>(IEnumerable<T> items) => agent<T>("pick the best of items", items);

                public static async Task RunAsync()
                {
                    await agent<Person>("Ada");
                    await agent<Inner>("one");
                    await agent<Shared>("one");
                    await agent<(int, List<Inner>)>("a pair");
                    await agent<Func<int, string>>("a function");
                    await agent<dynamic>("anything");
                }
            }
            """);

        None(diagnostics, "HOLE010");
    }
}
