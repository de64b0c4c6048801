using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using static Holes.Analyzers.Tests.AnalyzerHarness;

namespace Holes.Analyzers.Tests;

/// <summary>
/// The hole and Reveal analyzers register their node actions only for compilations whose sources could name
/// <c>agent</c> or <c>Reveal</c>; a name spelled with a Unicode escape, or split across the scan's chunks, still counts.
/// </summary>
public class SourceMentionsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(8190)]
    [InlineData(8188)]
    [InlineData(20_000)]
    public void A_name_anywhere_in_a_source_is_found(int padding)
    {
        var compilation = Compile("//" + new string('x', padding) + "agent\n");

        Assert.True(SourceMentions.MayName(compilation, "agent", CancellationToken.None));
        Assert.False(SourceMentions.MayName(compilation, "Reveal", CancellationToken.None));
    }

    [Fact]
    public void A_unicode_escape_may_spell_the_name()
    {
        var compilation = Compile("class C { int \\u0061b; }");

        Assert.True(SourceMentions.MayName(compilation, "Reveal", CancellationToken.None));
    }

    [Fact]
    public void Holes_and_reveals_spelled_with_escapes_are_still_checked()
    {
        var diagnostics = Analyze("""
            using Holes;
            using static Holes.Agents;

            internal static class Program
            {
                public static async Task<int> RunAsync(int a, int b) => await \u0061gent<int>("combine them", a + b);

                public static int Peek(Classified<int> secret) => secret.R\u0065veal();
            }
            """);

        Assert.Equal(["a + b"], diagnostics.Where(d => d.Id == "HOLE011").Select(Text));
        Assert.Equal([@"secret.R\u0065veal()"], diagnostics.Where(d => d.Id == "HOLE020").Select(Text));
    }

    private static Microsoft.CodeAnalysis.Compilation Compile(string source) => CSharpCompilation.Create(
        "Scan", [CSharpSyntaxTree.ParseText(SourceText.From(source), AnalyzerHarness.ParseOptions)]);
}
