using Holes.Pipeline.Compile;

namespace Holes.Tests.Stages;

/// <summary>The compile stage's source: how a fill is framed and which checks and captures are inserted.</summary>
public class FillSourceTests
{
    private static FillSource Create(string code, bool nested = true) =>
        FillSource.Create(new FillRequest(code, "int", [new Binding("xs", "global::System.Collections.Generic.List<int>", null)], [new VariableSlot("count", "int")], [], nested));

    private static string UserText(FillSource source) => source.Tree.GetText().ToString(source.UserSpan);

    [Fact]
    public void Plain_code_is_compiled_as_written()
    {
        var source = Create("return xs.Count;");
        Assert.True(source.Edits.IsEmpty);
        Assert.Equal("return xs.Count;", UserText(source));
        Assert.DoesNotContain("count", source.Tree.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_values_and_variables_the_fill_mentions_and_does_not_redeclare_are_declared()
    {
        var source = Create("return xs.Count + count;");
        Assert.Equal("{ __frame.Assign(0, count); return xs.Count + count; }", UserText(source));
        Assert.Contains("global::System.Collections.Generic.List<int> xs = __frame.Value<global::System.Collections.Generic.List<int>>(0);", source.Tree.ToString(), StringComparison.Ordinal);
        Assert.Contains("int count = __frame.Variable<int>(0);", source.Tree.ToString(), StringComparison.Ordinal);

        var redeclared = Create("var xs = new List<int>(); var count = 2; return xs.Count + count;");
        Assert.DoesNotContain("__frame.Value", redeclared.Tree.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("__frame.Variable", redeclared.Tree.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Top_level_declarations_are_captured_before_each_top_level_return()
    {
        var source = Create("var a = 1;\nif (a > 0) return a;\nvar b = a + 1;\nFunc<int> f = () => { return b; };\nreturn b;");
        Assert.Equal(
            "var a = 1;\nif (a > 0) { __frame.Declare(\"a\", a); return a; }\nvar b = a + 1;\nFunc<int> f = () => { return b; };\n" +
            "{ __frame.Declare(\"a\", a); __frame.Declare(\"b\", b); __frame.Declare(\"f\", f); return b; }",
            UserText(source));
        Assert.Equal(["a", "b", "f"], source.Plan!.TopLevelDeclared);
    }

    [Fact]
    public void Loops_and_functions_are_left_as_written_since_budget_checks_are_woven_into_the_IL()
    {
        var source = Create("var n = 0;\nwhile (n < 3) n++;\nint Twice(int x) => x * 2;\nreturn Twice(n);");
        Assert.Equal(
            "var n = 0;\nwhile (n < 3) n++;\nint Twice(int x) => x * 2;\n" +
            "{ __frame.Declare(\"n\", n); return Twice(n); }",
            UserText(source));
    }

    [Fact]
    public void Static_functions_cannot_see_the_frame_and_are_left_alone()
    {
        var source = Create("static int Sq(int x) { return x * x; }\nreturn Sq(3);");
        Assert.Equal("static int Sq(int x) { return x * x; }\nreturn Sq(3);", UserText(source));
    }

    [Fact]
    public void Nested_holes_receive_the_locals_in_scope()
    {
        var source = Create("var prefix = \"p\";\nforeach (var doc in xs) { var n = doc; await agent<string>(\"t\", n); }\nreturn 1;");
        var site = Assert.Single(source.Plan!.NestedSites);
        Assert.Equal(["prefix", "doc"], site.ScopeLocals);
        Assert.Contains("__frame.Nested(0, prefix, doc).agent<string>(\"t\", n)", UserText(source), StringComparison.Ordinal);
    }

    [Fact]
    public void Structure_breaking_code_is_rejected_early()
    {
        var source = Create("return 1; } static void Evil() {");
        Assert.Contains(source.EarlyDiagnostics, d => d.Id == "HOLE0003");
    }

    [Fact]
    public void Syntax_errors_are_reported_at_the_models_line_and_column()
    {
        var source = Create("var a = 1;\nreturn a +;");
        var diagnostic = Assert.Single(source.EarlyDiagnostics);
        Assert.Equal(("CS1525", 2, 11), (diagnostic.Id, diagnostic.Line, diagnostic.Column));
    }

    [Fact]
    public void A_fill_that_never_awaits_is_an_ordinary_method()
    {
        var text = Create("return xs.Count;").Tree.ToString();
        Assert.Contains("private static int __Body(", text, StringComparison.Ordinal);
        Assert.Contains("FillFrame.Completed(__Body(", text, StringComparison.Ordinal);
        Assert.DoesNotContain("async", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("await Task.Yield(); return xs.Count;")]
    [InlineData("var f = async () => await Task.FromResult(1); return await f();")]
    [InlineData("var n = 0; await foreach (var x in Items()) n += x; return n; async IAsyncEnumerable<int> Items() { yield return 1; await Task.Yield(); }")]
    public void A_fill_that_awaits_anywhere_stays_async(string code)
    {
        var text = Create(code).Tree.ToString();
        Assert.Contains("private static async global::System.Threading.Tasks.Task<int> __Body(", text, StringComparison.Ordinal);
        Assert.Contains("FillFrame.Box(__Body(", text, StringComparison.Ordinal);
    }
}
