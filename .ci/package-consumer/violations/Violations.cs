// Deliberate breaches of the Holes rules, compiled only when .ci/run builds this consumer with
// -p:HolesViolations=true: that build must fail with the analyzers' diagnostics, as a package user would see them.
using Holes;
using static Holes.Agents;

namespace PackageConsumer.Violations;

[Capability]
public interface IMailbox
{
    IReadOnlyList<string> Unread();
}

[Capability]
public interface ITickets
{
    [TrustedSink]
    void File(string title, Classified<string> body);
}

[Capability]
public interface IMailer
{
    [Egress]
    void Send(string to, string body);
}

internal static class Violations
{
    // HOLE016: a capability in static state.
    public static IMailbox? Shared;

    // HOLE013: the mailbox is outside the bound.
    [HoleBound(typeof(ITickets))]
    public static Task<int> TriageAsync(IMailbox mailbox, ITickets tickets)
        => agent<int>("file a ticket per urgent mail in mailbox", mailbox, tickets);

    // HOLE015: classified data and an untrusted egress in one hole.
    public static Task<bool> LeakAsync(Classified<string> secret, IMailer mailer)
        => agent<bool>("mail the summary of secret", secret, mailer);

    // HOLE017: the task names xs, but only ys is handed in.
    public static Task<int> CountAsync(List<int> xs, List<int> ys)
        => agent<int>("count the even numbers in xs", ys);

    // HOLE020: Reveal() outside a trusted sink.
    public static string Show(Classified<string> secret) => secret.Reveal();
}
