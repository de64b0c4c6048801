using Holes.Pipeline.Compile;

namespace Holes.Tests.Stages;

public class RuntimeTypeNamesTests
{
    private sealed class PrivateNested;

    [Theory]
    [InlineData(typeof(int), "int")]
    [InlineData(typeof(string[]), "string[]")]
    [InlineData(typeof(int[,]), "int[,]")]
    [InlineData(typeof(int?), "int?")]
    [InlineData(typeof(List<int>), "global::System.Collections.Generic.List<int>")]
    [InlineData(typeof(Dictionary<string, List<double>>), "global::System.Collections.Generic.Dictionary<string, global::System.Collections.Generic.List<double>>")]
    [InlineData(typeof((int, string)), "(int, string)")]
    [InlineData(typeof(Func<int, string>), "global::System.Func<int, string>")]
    [InlineData(typeof(Dictionary<string, int>.KeyCollection), "global::System.Collections.Generic.Dictionary<string, int>.KeyCollection")]
    public void Writes_types_as_csharp(Type type, string expected) => Assert.Equal(expected, RuntimeTypeNames.FullyQualified(type));

    [Fact]
    public void Types_other_assemblies_cannot_name_become_object()
    {
        Assert.Equal("object", RuntimeTypeNames.FullyQualified(typeof(PrivateNested)));
        Assert.Equal("object", RuntimeTypeNames.FullyQualified(new { A = 1 }.GetType()));
        Assert.Equal("object", RuntimeTypeNames.FullyQualified(typeof(List<PrivateNested>)));
    }
}
