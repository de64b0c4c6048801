using Holes.Pipeline.Compile;
using Microsoft.CodeAnalysis.Text;

namespace Holes.Tests.Stages;

public class SourceEditsTests
{
    [Fact]
    public void Apply_inserts_and_replaces_in_order()
    {
        var edits = new SourceEdits();
        edits.Insert(0, "A");
        edits.Replace(new TextSpan(2, 2), "XY Z");
        edits.Insert(6, "!");
        Assert.Equal("AabXY Zef!", edits.Apply("abcdef"));
    }

    [Fact]
    public void Insertions_at_the_same_position_keep_the_order_they_were_added_in()
    {
        var edits = new SourceEdits();
        edits.Insert(1, "{ outer ");
        edits.Insert(1, "{ inner ");
        edits.Insert(2, " }inner");
        edits.Insert(2, " }outer");
        Assert.Equal("a{ outer { inner b }inner }outerc", edits.Apply("abc"));
    }

    [Fact]
    public void Positions_map_back_to_the_original_text()
    {
        var edits = new SourceEdits();
        edits.Insert(2, "xxx");            // "ab" + "xxx" + "cdef"
        edits.Replace(new TextSpan(4, 1), "YY"); // 'e' becomes "YY"
        var edited = edits.Apply("abcdef");
        Assert.Equal("abxxxcdYYf", edited);
        Assert.Equal(0, edits.ToOriginal(0));
        Assert.Equal(2, edits.ToOriginal(3));   // inside inserted text: the edit's position
        Assert.Equal(2, edits.ToOriginal(5));   // 'c'
        Assert.Equal(3, edits.ToOriginal(6));   // 'd'
        Assert.Equal(4, edits.ToOriginal(8));   // inside the replacement
        Assert.Equal(5, edits.ToOriginal(9));   // 'f'
        Assert.Equal(5, edits.ToEdited(2));     // text inserted at 2 comes before 'c'
        Assert.Equal(9, edits.ToEdited(5));
    }

    [Fact]
    public void Generated_spans_cover_exactly_the_inserted_text()
    {
        var edits = new SourceEdits();
        edits.Insert(1, "__");
        edits.Insert(3, "++");
        var edited = edits.Apply("abcd");
        Assert.Equal("a__bc++d", edited);
        Assert.Equal([new TextSpan(1, 2), new TextSpan(5, 2)], edits.GeneratedSpans());
    }
}
