using Microsoft.CodeAnalysis;
using static Holes.Analyzers.Tests.AnalyzerHarness;

namespace Holes.Analyzers.Tests;

public class RevealTests
{
    [Fact]
    public void RevealOutsideATrustedSink_IsReported()
    {
        var diagnostics = Analyze("""
            using Holes;

            internal static class Logging
            {
                public static void Log(Classified<string> secret) => Console.WriteLine(secret.Reveal());

                public static Func<int> Later(Classified<int> count) => count.Reveal;
            }
            """);

        var reported = diagnostics.Where(d => d.Id == "HOLE020").ToArray();
        Assert.Equal(["secret.Reveal()", "count.Reveal"], reported.Select(Text));
        Assert.All(reported, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Equal(
            "'Logging.Log' calls Classified<string>.Reveal() but is not marked [TrustedSink], so the classified value leaves its protection here; move the call into a member marked [TrustedSink], or keep the value classified and transform it with Map",
            Message(reported[0]));
    }

    [Fact]
    public void RevealInsideATrustedSink_IsNotReported()
    {
        var diagnostics = Analyze("""
            using Holes;

            public sealed class Tickets
            {
                private readonly List<string> _filed = [];

                [TrustedSink]
                public void File(Classified<string> body) => _filed.Add(body.Reveal());

                [TrustedSink]
                public void FileAll(IEnumerable<Classified<string>> bodies) => _filed.AddRange(bodies.Select(b => b.Reveal()));
            }

            [TrustedSink]
            public sealed class Vault
            {
                public int Length(Classified<string> secret) => secret.Reveal().Length;
            }
            """);

        None(diagnostics, "HOLE020");
    }
}
