using Holes.Scope;

namespace Holes.Generators.Tests;

public class ArgumentNamesTests
{
    [Theory]
    [InlineData("xs", "xs")]
    [InlineData("order.Items", "Items")]
    [InlineData("this.count", "count")]
    [InlineData("GetItems()", "GetItems")]
    [InlineData("repository.Load<int>(3)", "Load")]
    [InlineData("order?.Customer", "Customer")]
    [InlineData("order?.Customer.Name", "Name")]
    [InlineData("(xs)", "xs")]
    [InlineData("(object)xs", "xs")]
    [InlineData("xs!", "xs")]
    [InlineData("@class", "@class")]
    [InlineData("item.@event", "@event")]
    [InlineData("42", "value0")]
    [InlineData("\"text\"", "value0")]
    [InlineData("a + b", "value0")]
    [InlineData("xs[0]", "value0")]
    [InlineData("x => x", "value0")]
    [InlineData("this", "value0")]
    public void SingleExpression(string expression, string expected)
    {
        Assert.Equal(expected, ArgumentNames.FromExpression(ScopeTestSupport.Expression(expression), 0));
    }

    [Fact]
    public void FallbackUsesTheValueIndex()
    {
        IReadOnlyList<string> names = ArgumentNames.FromArguments(
            [ScopeTestSupport.Expression("xs"), ScopeTestSupport.Expression("1"), ScopeTestSupport.Expression("2")]);

        Assert.Equal(["xs", "value1", "value2"], names);
    }

    [Fact]
    public void CollisionsGetNumberedSuffixes()
    {
        IReadOnlyList<string> names = ArgumentNames.FromArguments(
            [ScopeTestSupport.Expression("a.Name"), ScopeTestSupport.Expression("b.Name"), ScopeTestSupport.Expression("c.Name")]);

        Assert.Equal(["Name", "Name2", "Name3"], names);
    }

    [Fact]
    public void SuffixesSkipNamesThatAnotherArgumentOwns()
    {
        IReadOnlyList<string> names = ArgumentNames.FromArguments(
            [ScopeTestSupport.Expression("a.Name"), ScopeTestSupport.Expression("b.Name"), ScopeTestSupport.Expression("Name2")]);

        Assert.Equal(["Name", "Name3", "Name2"], names);
    }

    [Fact]
    public void FallbackNamesDoNotCollideWithIdentifiers()
    {
        IReadOnlyList<string> names = ArgumentNames.FromArguments(
            [ScopeTestSupport.Expression("value1"), ScopeTestSupport.Expression("7")]);

        Assert.Equal(["value1", "value12"], names);
    }
}
