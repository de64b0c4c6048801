using Holes.Pipeline.Compile;
using Holes.Pipeline.Verify;
using Holes.Rules;

namespace Holes.Tests.Stages;

/// <summary>The compile stage marks the nested holes called from a Classified&lt;T&gt; transform as pure, and only those.</summary>
public class PureNestedSiteTests
{
    private static async Task<CompiledFill> CompileAsync(string code, bool pure = false)
    {
        var request = new FillRequest(code, "string", [new Binding("secret", "global::Holes.Classified<string>", null)], [], [], NestedHolesAllowed: true, Pure: pure);
        var outcome = await FillCompiler.CompileAsync(request, CapabilityRules.For(RulePolicy.Default, RuntimeImmutability.Instance), "test.cs:1", CancellationToken.None);
        Assert.True(outcome.IsAccepted, string.Join("\n", outcome.Diagnostics));
        return outcome.Fill!;
    }

    [Fact]
    public async Task Only_holes_called_from_a_transform_or_a_local_function_it_calls_are_pure()
    {
        const string code =
            """
            var plain = await agent<string>("a plain sub-task");
            async Task<string> Summarise(string text) => await agent<string>("summarise the text", text);
            var inMap = await secret.MapAsync(s => agent<string>("shorten the text", s));
            var viaFunction = await secret.MapAsync(s => Summarise(s));
            return plain + inMap + viaFunction;
            """;

        var fill = await CompileAsync(code);

        Assert.Equal(3, fill.NestedSites.Count);
        Assert.Equal([1, 2], fill.PureNestedSites.Order());
    }

    [Fact]
    public async Task Nothing_is_marked_when_no_transform_calls_a_hole()
    {
        var fill = await CompileAsync("var a = await agent<string>(\"x\"); return a + secret.Map(s => s.Length);");
        Assert.Empty(fill.PureNestedSites);
    }
}
