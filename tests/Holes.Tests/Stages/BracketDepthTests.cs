using Holes.Pipeline.Compile;

namespace Holes.Tests.Stages;

/// <summary>The lexical nesting guard that runs before the parser: deep brackets are refused, text is not counted.</summary>
public class BracketDepthTests
{
    [Theory]
    [InlineData("(", ")")]
    [InlineData("[", "]")]
    [InlineData("{", "}")]
    [InlineData("f(new[] { ", " })")]
    public void Brackets_nested_past_the_limit_are_refused_where_they_pass_it(string open, string close)
    {
        var code = "return " + string.Concat(Enumerable.Repeat(open, 20_000)) + "1" + string.Concat(Enumerable.Repeat(close, 20_000)) + ";";

        var denial = BracketDepth.Check(code);

        Assert.NotNull(denial);
        Assert.Equal("HOLE0006", denial.Id);
        Assert.Equal(1, denial.Line);
        Assert.Contains("more than 400 levels", denial.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("_ = \"((((( \\\" (((\";")]
    [InlineData("_ = @\"(((\"\"(((\";")]
    [InlineData("_ = \"\"\"\n((((( \" ((((\n\"\"\";")]
    [InlineData("_ = '('; // ((((((")]
    [InlineData("/* (((((( */ _ = $\"{{((((( {1 + (2)} ((((\";")]
    [InlineData("_ = $@\"{(1 + 2)}((((\" + \"\";")]
    public void Brackets_in_text_comments_and_literals_are_not_counted(string statement)
    {
        // 200 statements whose text holds brackets; the code itself nests one or two levels.
        var code = string.Concat(Enumerable.Repeat(statement + "\n", 200)) + "return 0;";

        Assert.Null(BracketDepth.Check(code));
    }

    [Fact]
    public void Interpolation_holes_count_as_code()
    {
        var code = "return $\"{" + new string('(', 500) + "1" + new string(')', 500) + "}\";";

        Assert.NotNull(BracketDepth.Check(code));
    }

    [Fact]
    public void Ordinary_code_passes()
    {
        const string code = """"
            var xs = new[] { 1, 2, 3 }.Select(x => new { X = x, Y = (x * 2) }).Where(p => p.Y > 2).ToList();
            var text = $"{xs.Count} items: {string.Join(", ", xs.Select(p => $"[{p.X}]"))}";
            return text + @"C:\path" + """raw "quoted" text""";
            """";

        Assert.Null(BracketDepth.Check(code));
    }
}
