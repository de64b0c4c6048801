namespace Holes.Tests.Capabilities;

/// <summary>A capability that can send data out of the program.</summary>
[Capability]
internal interface IMailbox
{
    IReadOnlyList<string> Subjects();

    [Egress]
    void Send(string to, string body);

    [Egress]
    void SendAny(string to, object body);
}

/// <summary>A capability whose filing member is trusted with classified data.</summary>
[Capability]
internal interface ITickets
{
    [TrustedSink]
    void File(string title, Classified<string> body);

    IReadOnlyList<string> Titles();

    /// <summary>Where a ticket's watchers are notified: a capability obtained through this one.</summary>
    IMailbox Watchers();
}

internal sealed class Mailbox : IMailbox
{
    public List<string> Sent { get; } = [];

    public IReadOnlyList<string> Subjects() => ["hello", "invoice"];

    public void Send(string to, string body) => Sent.Add(to + ": " + body);

    public void SendAny(string to, object body) => Sent.Add(to + ": " + body);
}

internal sealed class Tickets : ITickets
{
    public List<string> Filed { get; } = [];

    // The trusted sink's own code may reveal the content.
    public void File(string title, Classified<string> body) => Filed.Add(title + ": " + body.Reveal());

    public IReadOnlyList<string> Titles() => [.. Filed];

    public IMailbox Watchers() => new Mailbox();
}

/// <summary>Checks shared by the capability tests.</summary>
internal static class Expect
{
    /// <summary>
    /// Runs <paramref name="code"/>, which must be rejected before it ran with <paramref name="id"/> in a diagnostic
    /// that mentions every one of <paramref name="mentions"/>. The session must keep exactly the variables it had and
    /// still accept benign code afterwards.
    /// </summary>
    public static async Task<HoleResult<T>> Rejected<T>(AgentSession session, string code, HoleBindings? values, string id, params string[] mentions)
    {
        var before = session.Variables;
        var result = await session.ExecuteAsync<T>(code, values);
        Assert.True(result.Status == HoleStatus.Rejected, $"expected {id}, got {result.Status}: {result.Exception}");
        Assert.True(
            result.Diagnostics.Any(d => d.Id == id && mentions.All(m => d.Message.Contains(m, StringComparison.Ordinal))),
            $"expected {id} mentioning [{string.Join(", ", mentions)}] in:\n{string.Join("\n", result.Diagnostics)}");
        Assert.Equal(before, session.Variables);
        await Intact(session);
        return result;
    }

    /// <summary>A benign fill after a failure still runs and commits; the probe variable is removed again.</summary>
    public static async Task Intact(AgentSession session)
    {
        var before = session.Variables;
        var after = await session.ExecuteAsync<int>("var intactProbe = 41; return intactProbe + 1;");
        Accepted(after);
        Assert.Equal(42, after.Value);
        Assert.Equal([.. before.Select(v => v.Name), "intactProbe"], session.Variables.Select(v => v.Name));
        session.RemoveVariable("intactProbe");
    }

    public static T Accepted<T>(HoleResult<T> result)
    {
        Assert.True(result.IsAccepted, $"{result.Status}: {string.Join("\n", result.Diagnostics)} {result.Exception}");
        return result.Value!;
    }
}
