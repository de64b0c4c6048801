using Holes.Pipeline.Model;
using Holes.Testing;

namespace Holes.Tests.Stages;

public class CodeExtractorTests
{
    [Fact]
    public void Takes_code_from_the_structured_field()
    {
        var reply = CodeExtractor.Extract(FillReplies.Code("return 1;"));
        Assert.Equal("return 1;", reply.Code);
        Assert.Null(reply.GiveUp);
    }

    [Fact]
    public void Takes_code_from_json_wrapped_in_a_fence_and_strips_a_fence_inside_the_field()
    {
        var json = FillReplies.Code("```csharp\nreturn 2;\n```");
        var reply = CodeExtractor.Extract("```json\n" + json + "\n```");
        Assert.Equal("return 2;", reply.Code);
    }

    [Fact]
    public void Falls_back_to_a_fenced_block_in_prose()
    {
        var reply = CodeExtractor.Extract("Sure! Here you go:\n```csharp\nvar x = 3;\nreturn x;\n```\nHope it helps.");
        Assert.Equal("var x = 3;\nreturn x;", reply.Code);
    }

    [Theory]
    [InlineData("The answer is to filter the list and return it.")]
    [InlineData("")]
    [InlineData("{\"code\": \"\", \"giveUp\": null}")]
    [InlineData("{\"code\": 42}")]
    public void Prose_or_empty_replies_yield_no_code(string text) => Assert.Null(CodeExtractor.Extract(text).Code);

    [Fact]
    public void Reads_an_explicit_give_up()
    {
        var reply = CodeExtractor.Extract(FillReplies.GiveUp("I was not given the customer's orders."));
        Assert.Null(reply.Code);
        Assert.Equal("I was not given the customer's orders.", reply.GiveUp);
    }
}
