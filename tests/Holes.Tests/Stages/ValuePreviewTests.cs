using Holes.Pipeline.Prompt;

namespace Holes.Tests.Stages;

public class ValuePreviewTests
{
    [Fact]
    public void Shows_scalars_strings_and_collections_briefly()
    {
        Assert.Equal("null", ValuePreview.Of(null));
        Assert.Equal("3.5", ValuePreview.Of(3.5));
        Assert.Equal("\"a \\\"b\\\"\\n\"", ValuePreview.Of("a \"b\"\n"));
        Assert.Equal("[1, 2, 3] (3 items)", ValuePreview.Of(new List<int> { 1, 2, 3 }));
        Assert.Equal("[\"k\": 1] (1 item)", ValuePreview.Of(new Dictionary<string, int> { ["k"] = 1 }));
        Assert.Equal("[0, 1, 2, 3, 4, 5, 6, 7, …] (20 items)", ValuePreview.Of(Enumerable.Range(0, 20).ToArray()));
    }

    [Fact]
    public void Never_enumerates_lazy_sequences_and_survives_throwing_ToString()
    {
        var enumerated = false;
        IEnumerable<int> Lazy()
        {
            enumerated = true;
            yield return 1;
        }

        Assert.Equal("(a sequence; not enumerated here)", ValuePreview.Of(Lazy()));
        Assert.False(enumerated);
        Assert.Equal("<could not be shown: InvalidOperationException>", ValuePreview.Of(new Throwing()));
        Assert.EndsWith("…", ValuePreview.Of(new string('x', 500)), StringComparison.Ordinal);
    }

    private sealed class Throwing
    {
        public override string ToString() => throw new InvalidOperationException();
    }
}
