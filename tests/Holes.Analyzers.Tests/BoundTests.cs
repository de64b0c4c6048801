using Microsoft.CodeAnalysis;
using static Holes.Analyzers.Tests.AnalyzerHarness;

namespace Holes.Analyzers.Tests;

public class BoundTests
{
    [Fact]
    public void CapabilityOutsideTheBound_IsReported()
    {
        var diagnostics = Analyze("""
            using Holes;
            using static Holes.Agents;

            internal static class Triage
            {
                [HoleBound(typeof(ITickets))]
                public static async Task<int> RunAsync(IMailbox mailbox, ITickets tickets)
                    => await agent<int>("file a ticket per urgent mail in mailbox", mailbox, tickets);
            }
            """ + TestTypes.Capabilities);

        var diagnostic = Single(diagnostics, "HOLE013");
        Assert.Equal("mailbox", Text(diagnostic));
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(
            "'mailbox' is a capability of type 'IMailbox', outside the bound [HoleBound(typeof(ITickets))] on 'Triage.RunAsync'; hand this hole only capabilities the bound lists, or add typeof(IMailbox) to the bound",
            Message(diagnostic));
    }

    [Fact]
    public void BoundOnTheType_CoversNestedLambdasAndCollectionsOfCapabilities()
    {
        var diagnostics = Analyze("""
            using Holes;
            using static Holes.Agents;

            [HoleBound(typeof(ITickets))]
            internal static class Triage
            {
                public static Func<Task<int>> Later(List<IMailbox> mailboxes)
                    => async () => await agent<int>("count unread mail in mailboxes", mailboxes);
            }
            """ + TestTypes.Capabilities);

        var diagnostic = Single(diagnostics, "HOLE013");
        Assert.Equal("mailboxes", Text(diagnostic));
        Assert.Contains("on 'Triage'", Message(diagnostic), StringComparison.Ordinal);
    }

    [Fact]
    public void BoundOnAProperty_IsReadFromItsAccessor()
    {
        var diagnostics = Analyze("""
            using Holes;
            using static Holes.Agents;

            internal sealed class Triage(IMailbox mailbox)
            {
                [PureHoles]
                public Task<int> Unread => agent<int>("count unread mail in mailbox", mailbox);
            }
            """ + TestTypes.Capabilities);

        Assert.Contains("'Triage.Unread' is marked [PureHoles]", Message(Single(diagnostics, "HOLE014")), StringComparison.Ordinal);
    }

    [Fact]
    public void CapabilitiesWithinTheBound_OrWithoutABound_AreNotReported()
    {
        var diagnostics = Analyze("""
            using Holes;
            using static Holes.Agents;

            internal static class Triage
            {
                // A capability class fits the bound through the capability interface it implements.
                [HoleBound(typeof(IMailbox), typeof(ITickets))]
                public static async Task<int> BoundedAsync(Mailbox mailbox, ITickets tickets)
                    => await agent<int>("file a ticket per urgent mail in mailbox", mailbox, tickets);

                public static async Task<int> UnboundedAsync(IMailbox mailbox, IMailer mailer)
                    => await agent<int>("forward urgent mail in mailbox with mailer", mailbox, mailer);
            }
            """ + TestTypes.Capabilities);

        None(diagnostics, "HOLE013");
        None(diagnostics, "HOLE014");
    }

    [Fact]
    public void CapabilityUnderPureHoles_IsReported()
    {
        var diagnostics = Analyze("""
            using Holes;
            using static Holes.Agents;

            [PureHoles]
            internal static class Stats
            {
                public static async Task<double> MeanAsync(List<double> xs, IMailer mailer)
                    => await agent<double>("the mean of xs", xs, mailer);
            }
            """ + TestTypes.Capabilities);

        var diagnostic = Single(diagnostics, "HOLE014");
        Assert.Equal("mailer", Text(diagnostic));
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(
            "'mailer' is a capability of type 'IMailer', but 'Stats' is marked [PureHoles], so its holes may receive no capability; hand in only data, or replace [PureHoles] with [HoleBound(typeof(IMailer))]",
            Message(diagnostic));
    }

    [Fact]
    public void DataUnderPureHoles_IsNotReported()
    {
        var diagnostics = Analyze("""
            using Holes;
            using static Holes.Agents;

            internal static class Stats
            {
                [PureHoles]
                public static async Task<double> MeanAsync(List<double> xs, Classified<string> note)
                    => await agent<double>("the mean of xs", xs, note);
            }
            """ + TestTypes.Capabilities);

        None(diagnostics, "HOLE014");
    }

    [Fact]
    public void ClassifiedDataBesideAnUntrustedEgress_IsReported()
    {
        var diagnostics = Analyze("""
            using Holes;
            using static Holes.Agents;

            internal static class Leak
            {
                public static async Task<bool> RunAsync(Classified<string> secret, IMailer mailer)
                    => await agent<bool>("mail the summary of secret", secret, mailer);
            }
            """ + TestTypes.Capabilities);

        var diagnostic = Single(diagnostics, "HOLE015");
        Assert.Equal("secret", Text(diagnostic));
        Assert.Equal("mailer", diagnostic.AdditionalLocations.Single().SourceTree!.GetText().ToString(diagnostic.AdditionalLocations[0].SourceSpan));
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(
            "The classified value 'secret' and the capability 'mailer', whose 'IMailer.Send' is an egress that is not a [TrustedSink], are handed to the same hole, so its fill could send the classified data out; hand them to separate holes, or mark 'IMailer.Send' [TrustedSink] if it may receive classified data",
            Message(diagnostic));
    }

    [Fact]
    public void EgressTypeImplementedByAClass_IsReportedThroughTheClass()
    {
        var diagnostics = Analyze("""
            using Holes;
            using static Holes.Agents;

            [Capability, Egress]
            public interface IWebhook { void Post(string body); }

            public sealed class Webhook : IWebhook { public void Post(string body) { } }

            internal static class Leak
            {
                public static async Task<bool> RunAsync(List<Classified<string>> secrets, Webhook hook)
                    => await agent<bool>("post secrets", secrets, hook);
            }
            """);

        Assert.Contains("whose 'Webhook.Post' is an egress", Message(Single(diagnostics, "HOLE015")), StringComparison.Ordinal);
    }

    [Fact]
    public void ClassifiedDataBesideATrustedSinkOrAlone_IsNotReported()
    {
        var diagnostics = Analyze("""
            using Holes;
            using static Holes.Agents;

            internal static class Safe
            {
                public static async Task<bool> FileAsync(Classified<string> secret, ITickets tickets, IMailbox mailbox)
                    => await agent<bool>("file secret as a ticket", secret, tickets, mailbox);

                public static async Task<Classified<int>> LengthAsync(Classified<string> secret)
                    => await agent<Classified<int>>("the length of secret", secret);

                public static async Task<bool> SendAsync(string note, IMailer mailer)
                    => await agent<bool>("mail note", note, mailer);
            }
            """ + TestTypes.Capabilities);

        None(diagnostics, "HOLE015");
    }
}
