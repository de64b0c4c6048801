using Holes.Testing;

namespace Holes.Tests.Capabilities;

/// <summary>
/// A capability handed to a hole must not outlive it: a fill may not keep one in a session variable, unless the
/// program granted that capability to the session itself with <see cref="AgentSession.Grant{TCapability}"/>.
/// </summary>
public class GrantTests
{
    private static HoleBindings Handed(Mailbox mailbox) => new HoleBindings().Add<IMailbox>("mailbox", mailbox);

    [Theory]
    [InlineData("var kept = mailbox; return 0;", "'kept' would keep 'Holes.Tests.Capabilities.IMailbox'")]
    [InlineData("object kept = mailbox; return 0;", "'kept' would keep")]
    [InlineData("var kept = new List<Holes.Tests.Capabilities.IMailbox> { mailbox }; return 0;", "'kept' would keep")]
    [InlineData("var (kept, n) = (mailbox, 1); return n;", "'kept' would keep")]
    [InlineData("Func<int> kept = () => mailbox.Subjects().Count; return 0;", "captures 'mailbox'")]
    [InlineData("int Count() => mailbox.Subjects().Count; Func<int> kept = Count; return 0;", "captures 'mailbox'")]
    [InlineData("holder = mailbox; return 0;", "'holder' would keep")]
    public async Task A_fill_may_not_keep_a_capability_it_was_handed(string code, string mentions)
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        session.SetVariable<object?>("holder", null);
        await Expect.Rejected<int>(session, code, Handed(new Mailbox()), "HOLE033", mentions);
        Assert.Null(session.Variables.Single(v => v.Name == "holder").Value);
    }

    [Theory]
    [InlineData("{ var local = mailbox; local.Send(\"a@example.com\", \"hi\"); } return 1;")]
    [InlineData("void Send() { var local = mailbox; local.Send(\"a@example.com\", \"hi\"); } Send(); return 1;")]
    [InlineData("mailbox.Send(\"a@example.com\", \"hi\"); var subjects = mailbox.Subjects(); return subjects.Count;")]
    public async Task Using_a_capability_within_the_fill_is_fine(string code)
    {
        var mailbox = new Mailbox();
        await using var session = new AgentSession(new ScriptedChatClient());
        Expect.Accepted(await session.ExecuteAsync<int>(code, Handed(mailbox)));
        Assert.Equal(["a@example.com: hi"], mailbox.Sent.Take(1));
        Assert.DoesNotContain(session.Variables, v => v.Value is IMailbox);
    }

    [Fact]
    public async Task A_granted_capability_is_a_session_variable_fills_may_use_and_keep()
    {
        var granted = new Mailbox();
        await using var session = new AgentSession(new ScriptedChatClient());
        session.Grant<IMailbox>("mail", granted);

        var variable = Assert.Single(session.Variables);
        Assert.Equal(("mail", "global::Holes.Tests.Capabilities.IMailbox"), (variable.Name, variable.TypeName));
        Assert.Equal(2, Expect.Accepted(await session.ExecuteAsync<int>("var same = mail; object alsoSame = new List<object> { mail }[0]; return same.Subjects().Count;")));
        Assert.Same(granted, session.Variables.Single(v => v.Name == "same").Value);

        // Revoking the grant removes every variable that holds it.
        Assert.True(session.RemoveVariable("mail"));
        Assert.Empty(session.Variables);
    }

    [Fact]
    public async Task Only_the_granted_object_may_be_kept_not_another_of_its_type()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        session.Grant<IMailbox>("mail", new Mailbox());

        // The static type is granted, so the verifier lets it through; the commit checks the object itself.
        var result = await session.ExecuteAsync<int>("var other = mailbox; return 0;", Handed(new Mailbox()));

        Assert.Equal(HoleStatus.Faulted, result.Status);
        var error = Assert.IsType<HoleCapabilityException>(result.Exception);
        Assert.Equal("other", error.ValueName);
        Assert.Contains("must not outlive it", error.Message, StringComparison.Ordinal);
        Assert.Equal(["mail"], session.Variables.Select(v => v.Name));
        await Expect.Intact(session);
    }

    [Fact]
    public async Task A_capability_hidden_behind_object_is_caught_at_commit()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        var result = await session.ExecuteAsync<int>("object kept = new List<object> { mailbox }[0]; var n = 1; return n;", Handed(new Mailbox()));

        Assert.Equal(HoleStatus.Faulted, result.Status);
        Assert.Equal("kept", Assert.IsType<HoleCapabilityException>(result.Exception).ValueName);
        Assert.Empty(session.Variables);
        await Expect.Intact(session);
    }

    [Theory]
    [InlineData("var stash = new List<object> { mailbox }; return 0;", "stash")]
    [InlineData("var anon = new { Hook = (object)mailbox }; return 0;", "anon")]
    [InlineData("var box = new Dictionary<string, object[]> { [\"a\"] = new object[] { 1, mailbox } }; return 0;", "box")]
    [InlineData("var pair = Tuple.Create<object, int>(mailbox, 1); return 0;", "pair")]
    public async Task A_capability_inside_a_committed_value_is_caught_at_commit(string code, string variable)
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        var result = await session.ExecuteAsync<int>(code, Handed(new Mailbox()));

        Assert.NotEqual(HoleStatus.Accepted, result.Status);
        if (result.Status == HoleStatus.Faulted)
        {
            Assert.Equal(variable, Assert.IsType<HoleCapabilityException>(result.Exception).ValueName);
        }

        Assert.Empty(session.Variables);
        await Expect.Intact(session);
    }

    [Fact]
    public async Task A_granted_capability_is_never_replaced_by_a_fill()
    {
        var granted = new Mailbox();
        await using var session = new AgentSession(new ScriptedChatClient());
        session.Grant<IMailbox>("mailbox", granted);

        foreach (var code in new[] { "mailbox = null!; return 0;", "var mailbox = 5; return mailbox;" })
        {
            var result = await session.ExecuteAsync<int>(code);
            Assert.NotEqual(HoleStatus.Accepted, result.Status);
            Assert.Same(granted, session.Variables.Single(v => v.Name == "mailbox").Value);
        }

        Expect.Accepted(await session.ExecuteAsync<int>("return mailbox.Subjects().Count;"));
    }

    [Fact]
    public async Task Grant_and_SetVariable_check_their_arguments()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        Assert.Throws<ArgumentNullException>(() => session.Grant<IMailbox>("mail", null!));
        Assert.Contains("not a C# identifier", Assert.Throws<ArgumentException>(() => session.Grant<IMailbox>("two words", new Mailbox())).Message, StringComparison.Ordinal);
        Assert.Contains("not a capability", Assert.Throws<ArgumentException>(() => session.Grant("list", new List<int>())).Message, StringComparison.Ordinal);
        Assert.Contains("Grant", Assert.Throws<ArgumentException>(() => session.SetVariable<object>("mail", new Mailbox())).Message, StringComparison.Ordinal);
        Assert.Contains("Grant", Assert.Throws<ArgumentException>(() => session.SetVariable("mails", new List<IMailbox>())).Message, StringComparison.Ordinal);

        session.Grant<IMailbox>("mail", new Mailbox());
        Assert.Contains("RemoveVariable", Assert.Throws<ArgumentException>(() => session.SetVariable("mail", 1)).Message, StringComparison.Ordinal);

        session.SetVariable("limit", 3);
        Assert.Equal(3, Expect.Accepted(await session.ExecuteAsync<int>("return limit;")));
        Assert.Equal(("limit", "int"), (session.Variables[1].Name, session.Variables[1].TypeName));

        await session.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => session.Grant<IMailbox>("late", new Mailbox()));
    }
}
