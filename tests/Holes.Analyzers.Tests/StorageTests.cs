using static Holes.Analyzers.Tests.AnalyzerHarness;

namespace Holes.Analyzers.Tests;

public class StorageTests
{
    [Fact]
    public void StaticFieldsAndPropertiesOfCapabilityType_AreReported()
    {
        var diagnostics = Analyze("""
            internal static class Globals
            {
                public static IMailbox? Mailbox;
                public static IMailer Mailer { get; set; } = null!;
                public static readonly List<IMailbox> All = [];
                public static Func<IMailbox>? Factory;
            }
            """ + TestTypes.Capabilities);

        var stored = diagnostics.Where(d => d.Id == "HOLE016").ToArray();
        Assert.Equal(["Mailbox", "Mailer", "All", "Factory"], stored.Select(Text));
        Assert.Equal(
            "'Globals.Mailbox' stores a capability of type 'IMailbox' in static state, where any code can reach it and it outlives every scope that was granted it; pass it as a parameter to the code that needs it, or hand it to the hole, instead",
            Message(stored[0]));
    }

    [Fact]
    public void CapabilityFieldOfADataType_IsReported()
    {
        var diagnostics = Analyze("""
            public sealed record Draft(string To, IMailer Mailer);

            public sealed class Order
            {
                public string Id = "";
                private readonly IMailbox _mailbox;

                public Order(IMailbox mailbox) => _mailbox = mailbox;
            }
            """ + TestTypes.Capabilities);

        var stored = diagnostics.Where(d => d.Id == "HOLE016").ToArray();
        Assert.Equal(["Mailer", "_mailbox"], stored.Select(Text));
        Assert.Equal(
            "'Order._mailbox' stores a capability of type 'IMailbox' in 'Order', a data type that holes may construct and receive, and that carries the capability wherever it goes; mark 'Order' [Capability] so it is treated as the authority it is, or pass the capability as a parameter instead",
            Message(stored[1]));
    }

    [Fact]
    public void CapabilityStoredThroughAnUntypedMember_IsReportedAtTheAssignment()
    {
        var diagnostics = Analyze("""
            public sealed class Bag
            {
                public object? Item;
            }

            internal static class Cache
            {
                public static object? Last;

                public static void Keep(IMailbox mailbox, Bag bag)
                {
                    Last = mailbox;
                    bag.Item = mailbox;
                }
            }
            """ + TestTypes.Capabilities);

        var stored = diagnostics.Where(d => d.Id == "HOLE016").ToArray();
        Assert.Equal(["Last = mailbox", "bag.Item = mailbox"], stored.Select(Text));
        Assert.Contains("in static state", Message(stored[0]), StringComparison.Ordinal);
        Assert.Contains("in 'Bag', a data type", Message(stored[1]), StringComparison.Ordinal);
    }

    [Fact]
    public void CapabilitiesHeldByCapabilitiesOrLocals_AreNotReported()
    {
        var diagnostics = Analyze("""
            using Holes;

            [Capability]
            public sealed class Assistant
            {
                private readonly IMailbox _mailbox;
                private IMailer? _mailer;

                public Assistant(IMailbox mailbox) => _mailbox = mailbox;

                public int Count(IMailer mailer)
                {
                    _mailer = mailer;
                    IMailbox local = _mailbox;
                    return local.Unread().Count;
                }
            }

            public sealed class Report
            {
                public static readonly string Title = "unread";
                public static Action<IMailbox>? OnMail;
                public Func<int, int>? Transform { get; set; }

                public static int Count(IMailbox mailbox) => mailbox.Unread().Count;
            }
            """ + TestTypes.Capabilities);

        None(diagnostics, "HOLE016");
    }
}
