using Holes.Pipeline.Nesting;
using Holes.Runtime;

namespace Holes.Tests.Generics;

public class RuntimeSitesTests
{
    private static HoleSite OpenSite(string resultType, params HoleParameter[] parameters) =>
        new("/src/Open.cs", 4, 9, "Open.Ask", resultType, parameters, ["System"], [], "", capabilityBound: ["Mail.IMailbox"],
            typeParameters: ["TKey", "TValue", "TOther", "TMissing"]);

    [Fact]
    public void Type_parameters_are_bound_by_matching_the_spelled_types_against_the_run_time_ones()
    {
        var site = OpenSite(
            "global::System.Collections.Generic.Dictionary<TKey, (TValue, TValue[])>",
            new HoleParameter("keys", "global::System.Collections.Generic.IEnumerable<TKey>", "keys"),
            new HoleParameter("item", "TValue", "item"),
            new HoleParameter("lookup", "global::System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>?", "lookup"));

        var closed = RuntimeSites.WithRuntimeTypes(
            site, typeof(Dictionary<string, (int, int[])>), [new HashSet<string>(), 5, new Dictionary<string, int>()]);

        Assert.False(closed.IsOpen);
        Assert.Equal("global::System.Collections.Generic.Dictionary<string, (int, int[])>", closed.ResultType);
        Assert.Equal(
            [
                "global::System.Collections.Generic.IEnumerable<string>",
                "int",
                "global::System.Collections.Generic.IReadOnlyDictionary<string, int>?",
            ],
            closed.Parameters.Select(p => p.Type));
        Assert.Equal(["Mail.IMailbox"], closed.CapabilityBound!);
        Assert.Equal(site.Usings, closed.Usings);
    }

    [Fact]
    public void A_type_parameter_only_a_value_pins_down_comes_from_that_value_and_an_unknown_one_is_object()
    {
        var site = OpenSite(
            "int",
            new HoleParameter("other", "TOther", "other"),
            new HoleParameter("none", "global::System.Collections.Generic.List<TMissing>", "none"),
            new HoleParameter("plain", "string", "plain"));

        var closed = RuntimeSites.WithRuntimeTypes(site, typeof(int), [new List<int>(), null, "x"]);

        Assert.Equal(["global::System.Collections.Generic.List<int>", "object", "string"], closed.Parameters.Select(p => p.Type));
        Assert.Same(site.Parameters[2], closed.Parameters[2]);
    }

    [Fact]
    public void The_same_run_time_types_reuse_the_described_site()
    {
        var site = OpenSite("global::System.Collections.Generic.List<TValue>");

        var first = RuntimeSites.WithRuntimeTypes(site, typeof(List<int>), []);
        var again = RuntimeSites.WithRuntimeTypes(site, typeof(List<int>), []);
        var other = RuntimeSites.WithRuntimeTypes(site, typeof(List<string>), []);

        Assert.Same(first, again);
        Assert.Equal("global::System.Collections.Generic.List<string>", other.ResultType);
    }

    [Theory]
    [InlineData("object", typeof(int), true)]
    [InlineData("global::System.Object", typeof(List<int>), true)]
    [InlineData("object", typeof(object), false)]
    [InlineData("int", typeof(int), false)]
    public void Sites_spelled_object_for_a_specific_type_need_run_time_types(string spelled, Type actual, bool needed) =>
        Assert.Equal(needed, RuntimeSites.NeedsRuntimeTypes(new HoleSite("/src/A.cs", 1, 1, "A", spelled, [], [], [], ""), actual));
}
