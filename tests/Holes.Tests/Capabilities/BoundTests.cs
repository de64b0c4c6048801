using Holes.Pipeline.Compile;
using Holes.Pipeline.Nesting;
using Holes.Pipeline.Verify;
using Holes.Runtime;
using Holes.Testing;

namespace Holes.Tests.Capabilities;

/// <summary>
/// Hole bounds at run time: a hole is never handed a capability outside its bound (checked before the model is
/// called), a nested hole's bound is never wider than its parent's, and a fill may not hand a nested hole what its
/// own bound does not allow.
/// </summary>
public class BoundTests
{
    private const string Mailboxes = "Holes.Tests.Capabilities.IMailbox";
    private const string TicketSystems = "Holes.Tests.Capabilities.ITickets";

    private static HoleSite Site(IReadOnlyList<string>? bound, params string[] parameters) => new(
        "/src/Triage.cs", 12, 5, "Triage", "int",
        [.. parameters.Select(p => new HoleParameter(p, p == "mailbox" ? "global::" + Mailboxes : p == "tickets" ? "global::" + TicketSystems : "object", p))],
        [], [], "", bound);

    [Fact]
    public async Task A_capability_outside_the_bound_fails_the_hole_before_the_model_is_called()
    {
        var model = new ScriptedChatClient().ReplyWithCode("return 1;");
        await using var session = new AgentSession(model);
        AgentSession.Current = session;
        try
        {
            var error = await Assert.ThrowsAsync<HoleCapabilityException>(() =>
                HoleDispatcher.FillAsync<int>(Site([TicketSystems], "tickets", "mailbox"), "file a ticket per urgent mail", [new Tickets(), new Mailbox()], default));

            Assert.Equal("Triage.cs:12", error.Location);
            Assert.Equal("mailbox", error.ValueName);
            Assert.Contains("Triage.cs:12", error.Message, StringComparison.Ordinal);
            Assert.Contains("'mailbox'", error.Message, StringComparison.Ordinal);
            Assert.Contains(TicketSystems, error.Message, StringComparison.Ordinal);
            Assert.Empty(model.Requests);
            Assert.Equal(0, session.Stats.Holes);

            // The same hole with what its bound allows runs, and the session is as it was.
            Assert.Equal(1, await HoleDispatcher.FillAsync<int>(Site([TicketSystems], "tickets"), "file a ticket per urgent mail", [new Tickets()], default));
            await Expect.Intact(session);
        }
        finally
        {
            AgentSession.Current = null;
        }
    }

    [Fact]
    public async Task A_pure_hole_may_be_handed_no_capability_even_as_object()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        AgentSession.Current = session;
        try
        {
            var error = await Assert.ThrowsAsync<HoleCapabilityException>(() =>
                HoleDispatcher.FillAsync<int>(Site([], "value0"), "count", [new Tickets()], default));
            Assert.Contains("no capability at all", error.Message, StringComparison.Ordinal);
            await Expect.Intact(session);
        }
        finally
        {
            AgentSession.Current = null;
        }
    }

    [Fact]
    public async Task A_fill_may_not_hand_a_nested_hole_a_capability_outside_its_bound()
    {
        // Tickets are within the bound; the mailbox a ticket system hands back is not, so no nested hole may get it.
        var model = new ScriptedChatClient()
            .ReplyWithCode("return await agent<int>(\"count the watchers' mail\", tickets.Watchers());")
            .ReplyWithCode("return tickets.Watchers().Subjects().Count;");
        await using var session = new AgentSession(model);
        AgentSession.Current = session;
        try
        {
            var count = await HoleDispatcher.FillAsync<int>(Site([TicketSystems], "tickets"), "count the watchers' mail", [new Tickets()], default);

            Assert.Equal(2, count);
            var retry = model.Requests[1].LastMessage;
            Assert.Contains("HOLE013", retry, StringComparison.Ordinal);
            Assert.Contains("'tickets.Watchers()', a Holes.Tests.Capabilities.IMailbox", retry, StringComparison.Ordinal);
            Assert.Contains(TicketSystems, retry, StringComparison.Ordinal);
        }
        finally
        {
            AgentSession.Current = null;
        }
    }

    [Fact]
    public async Task Under_a_pure_bound_a_nested_hole_may_be_handed_no_capability()
    {
        // A library without an effect table cannot say that its Envelope holds authority, so the envelope itself is
        // admitted as data; the capability inside it still cannot be handed on.
        var library = HostAssemblies.WithoutTable;
        var envelope = HostAssemblies.Create(library, "Library.Envelope", HostAssemblies.Create(library, "Library.Pager"));
        var model = new ScriptedChatClient()
            .ReplyWithCode("return await agent<int>(\"page someone\", envelope.Pager);")
            .ReplyWithCode("return envelope.Note.Length;");
        await using var session = new AgentSession(model);
        AgentSession.Current = session;
        try
        {
            var site = new HoleSite("/src/Report.cs", 7, 5, "Report", "int", [new HoleParameter("envelope", "global::Library.Envelope", "envelope")], [], [], "", []);
            Assert.Equal(4, await HoleDispatcher.FillAsync<int>(site, "measure the note", [envelope], default));
            Assert.Contains("HOLE014", model.Requests[1].LastMessage, StringComparison.Ordinal);
            Assert.Contains("'envelope.Pager', a Library.IPager", model.Requests[1].LastMessage, StringComparison.Ordinal);
        }
        finally
        {
            AgentSession.Current = null;
        }
    }

    [Fact]
    public async Task A_bounded_hole_does_not_see_granted_capabilities_outside_its_bound()
    {
        var model = new ScriptedChatClient()
            .ReplyWithCode("return mail.Subjects().Count;")
            .ReplyWithCode("return tickets.Titles().Count;");
        await using var session = new AgentSession(model);
        session.Grant<IMailbox>("mail", new Mailbox());
        AgentSession.Current = session;
        try
        {
            Assert.Equal(0, await HoleDispatcher.FillAsync<int>(Site([TicketSystems], "tickets"), "count", [new Tickets()], default));

            Assert.DoesNotContain("`mail`", model.Requests[0].Prompt, StringComparison.Ordinal);
            Assert.Contains("CS0103", model.Requests[1].LastMessage, StringComparison.Ordinal);
            Assert.Equal(["mail"], session.Variables.Select(v => v.Name));
        }
        finally
        {
            AgentSession.Current = null;
        }
    }

    [Fact]
    public void A_nested_bound_is_the_intersection_and_never_wider()
    {
        var tickets = typeof(Tickets);
        var mailbox = typeof(Mailbox);
        var both = HoleBound.Of([Mailboxes, TicketSystems]);
        var onlyTickets = HoleBound.Of([TicketSystems]);

        Assert.True(HoleBound.Unbounded.Fits(mailbox));
        Assert.True(both.Fits(mailbox) && both.Fits(tickets));
        Assert.False(both.Intersect(onlyTickets).Fits(mailbox));
        Assert.True(both.Intersect(onlyTickets).Fits(tickets));
        Assert.False(onlyTickets.Intersect(HoleBound.Unbounded).Fits(mailbox));
        Assert.False(HoleBound.Unbounded.Intersect(onlyTickets).Fits(mailbox));
        Assert.False(both.Intersect(HoleBound.Pure).Fits(tickets));
        Assert.True(HoleBound.Pure.IsPure && both.Intersect(HoleBound.Pure).IsPure);

        // A nested site that asks for more than its parent gets only what both allow; a hole in a transform gets nothing.
        var session = new AgentSession(new ScriptedChatClient());
        var parent = new HoleContext(session, Site([TicketSystems]), "parent", [], null);
        var child = new HoleContext(session, Site([Mailboxes, TicketSystems]), "child", [], parent);
        Assert.False(child.Bound.Fits(mailbox));
        Assert.True(child.Bound.Fits(tickets));
        var pure = new HoleContext(session, Site(null), "in a transform", [], child, pure: true);
        Assert.True(pure.IsPure && pure.Bound.IsPure);
        Assert.True(new HoleContext(session, Site(null), "under a pure hole", [], pure).IsPure);
    }

    [Fact]
    public void Values_a_hole_only_inherits_are_left_out_when_they_do_not_fit()
    {
        var bindings = new List<Binding>
        {
            new("tickets", "object", new Tickets()),
            new("text", "string", "hello"),
            new("mailbox", "object", new Mailbox()),
        };

        var admitted = HoleContext.Admit(Site([TicketSystems]), "task", bindings, explicitCount: 2, HoleBound.Of([TicketSystems]));

        Assert.Equal(["tickets", "text"], admitted.Select(b => b.Name));
        Assert.Throws<HoleCapabilityException>(() => HoleContext.Admit(Site([]), "task", bindings, explicitCount: 1, HoleBound.Pure));
    }
}
