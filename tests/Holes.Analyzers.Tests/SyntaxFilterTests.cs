using static Holes.Analyzers.Tests.AnalyzerHarness;

namespace Holes.Analyzers.Tests;

/// <summary>
/// The analyzers look at syntax first and bind only what could be reported (a hole call, a Reveal, an assignment to
/// something other than a local). These cases sit at the edges of those syntactic filters: each must be reported, or
/// not, exactly as a check of every bound operation would.
/// </summary>
public class SyntaxFilterTests
{
    [Fact]
    public void StoresThroughInitializersWithAndCoalescing_AreReported()
    {
        var diagnostics = Analyze("""
            public sealed class Bag
            {
                public object? Item;
                public object? Other { get; set; }
            }

            public sealed record Note(string Text)
            {
                public object? Attachment { get; init; }
            }

            internal static class Cache
            {
                public static object? Last;

                public static Bag Keep(IMailbox mailbox, Note note)
                {
                    Last ??= mailbox;
                    _ = note with { Attachment = mailbox };
                    return new Bag { Item = mailbox, Other = new List<IMailbox> { mailbox } };
                }
            }
            """ + TestTypes.Capabilities);

        var stored = diagnostics.Where(d => d.Id == "HOLE016").ToArray();
        Assert.Equal(["Last ??= mailbox", "Attachment = mailbox", "Item = mailbox", "Other = new List<IMailbox> { mailbox }"], stored.Select(Text));
    }

    [Fact]
    public void LocalsAndParametersNamedLikeStaticMembers_AreNotReported()
    {
        var diagnostics = Analyze("""
            internal static class Cache
            {
                public static object? Last;
                public static object? Item;
                public static object? Entry;
                public static object? Caught;

                public static void Keep(IMailbox mailbox, object? Item, int kind)
                {
                    object? Last = null;
                    Last = mailbox;
                    Item = mailbox;
                    Func<IMailbox, object?> f = Entry => Entry = mailbox;
                    for (object? Entry = null; Entry is null;) { Entry = mailbox; }
                    switch (kind)
                    {
                        case 1:
                            object? Caught = null;
                            break;
                        default:
                            Caught = mailbox;
                            break;
                    }

                    try { } catch (Exception Caught2) { _ = Caught2; }
                    _ = Last;
                }
            }
            """ + TestTypes.Capabilities);

        None(diagnostics, "HOLE016");
    }

    [Fact]
    public void StaticMemberNamedLikeALocalOfAnotherScope_IsReported()
    {
        var diagnostics = Analyze("""
            internal static class Cache
            {
                public static object? Last;

                public static void Keep(IMailbox mailbox)
                {
                    {
                        object? Last = null;
                        _ = Last;
                    }

                    Func<object?> later = () => Last = mailbox;
                    Last = mailbox;
                }
            }
            """ + TestTypes.Capabilities);

        var stored = diagnostics.Where(d => d.Id == "HOLE016").ToArray();
        Assert.Equal(["Last = mailbox", "Last = mailbox"], stored.Select(Text));
    }

    [Fact]
    public void DelegatesAndTargetTypedValues_AreJudgedByWhatTheyCarry()
    {
        var diagnostics = Analyze("""
            internal static class Cache
            {
                public static Delegate? Callback;
                public static object? Boxed;
                public static IEnumerable<object>? Items;

                public static void Keep(IMailbox mailbox)
                {
                    Callback = () => mailbox;
                    Callback = (Action)(() => mailbox.Unread());
                    Boxed = 42;
                    Boxed = $"{mailbox}";
                    Items = new List<IMailbox> { mailbox };
                    Items = [mailbox];
                    Items = null;
                }
            }
            """ + TestTypes.Capabilities);

        var stored = diagnostics.Where(d => d.Id == "HOLE016").ToArray();
        Assert.Equal(["Callback = () => mailbox", "Items = new List<IMailbox> { mailbox }"], stored.Select(Text));
    }

    [Fact]
    public void TopLevelStatements_StoreThroughStaticsButNotLocals()
    {
        var diagnostics = Analyze("""
            IMailbox mailbox = new Mailbox();
            object? kept = null;
            kept = mailbox;
            Holder.Kept = mailbox;

            internal static class Holder
            {
                public static object? Kept;
            }
            """ + TestTypes.Capabilities, outputKind: Microsoft.CodeAnalysis.OutputKind.ConsoleApplication);

        Assert.Equal(["Holder.Kept = mailbox"], diagnostics.Where(d => d.Id == "HOLE016").Select(Text));
    }

    [Fact]
    public void RevealThroughConditionalAccessAndMethodGroups_IsReported()
    {
        var diagnostics = Analyze("""
            using Holes;

            internal static class Logging
            {
                public static string? Log(Classified<string>? secret) => secret?.Reveal();

                public static Func<int> Later(Classified<int> count) => new Func<int>(count.Reveal);

                public static string Name(Classified<int> count) => nameof(count.Reveal);
            }
            """);

        Assert.Equal([".Reveal()", "count.Reveal"], diagnostics.Where(d => d.Id == "HOLE020").Select(Text));
    }
}
