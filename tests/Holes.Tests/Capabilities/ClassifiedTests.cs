using Holes.Capabilities;
using Holes.Testing;

namespace Holes.Tests.Capabilities;

/// <summary>
/// Classified data flows through pure transforms and trusted sinks only. Every way out is closed: a captured
/// variable, an exception's message, string formatting, a ToString with an effect, a nested hole's task text, an
/// egress that is not trusted, Reveal. The secret never shows up anywhere the test can look.
/// </summary>
public class ClassifiedTests
{
    private const string Secret = "s3cr3t-Value";

    private static (AgentSession Session, ScriptedChatClient Model, Mailbox Mailbox, Tickets Tickets, HoleBindings Values) Start(HoleOptions? options = null)
    {
        var model = new ScriptedChatClient();
        var session = new AgentSession(model, options);
        var mailbox = new Mailbox();
        var tickets = new Tickets();
        var values = new HoleBindings()
            .Add("secret", new Classified<string>(Secret))
            .Add<IMailbox>("mailbox", mailbox)
            .Add<ITickets>("tickets", tickets);
        return (session, model, mailbox, tickets, values);
    }

    [Fact]
    public async Task Pure_transforms_and_a_trusted_sink_carry_classified_data()
    {
        var (session, _, mailbox, tickets, values) = Start();
        await using var _ = session;
        const string code =
            """
            var upper = secret.Map(s => s.ToUpperInvariant());
            var length = upper.FlatMap(s => new Classified<int>(s.Length));
            int Count(string text) => text.Count(char.IsDigit);
            var digits = secret.Map(Count);
            tickets.File("upper", upper);
            return $"{upper} {length} {digits}";
            """;

        var text = Expect.Accepted(await session.ExecuteAsync<string>(code, values));

        Assert.Equal("Classified<String>(***) Classified<Int32>(***) Classified<Int32>(***)", text);
        Assert.Equal(["upper: S3CR3T-VALUE"], tickets.Filed);
        Assert.Empty(mailbox.Sent);
        Assert.DoesNotContain(session.Variables, v => v.Value?.ToString()?.Contains(Secret, StringComparison.OrdinalIgnoreCase) == true);
    }

    [Theory]
    [InlineData("return $\"{secret}\";")]
    [InlineData("return \"the secret is \" + secret;")]
    [InlineData("return secret.ToString();")]
    [InlineData("return string.Join(\",\", new[] { secret, secret });")]
    [InlineData("return new StringBuilder().Append(secret).ToString();")]
    [InlineData("return System.Text.Json.JsonSerializer.Serialize(secret);")]
    public async Task Formatting_a_classified_value_shows_only_a_mask(string code)
    {
        var (session, _, _, _, values) = Start();
        await using var _ = session;
        var text = Expect.Accepted(await session.ExecuteAsync<string>(code, values));
        Assert.DoesNotContain(Secret, text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_exception_inside_a_transform_never_carries_the_content()
    {
        var (session, _, _, _, values) = Start();
        await using var _ = session;

        // Host code: the exception comes at once, with the exception's type and without its message.
        var direct = Assert.Throws<ClassifiedException>(() => new Classified<string>(Secret).Map<int>(s => throw new InvalidOperationException(s)));
        Assert.Equal(typeof(InvalidOperationException).FullName, direct.ExceptionType);
        Assert.DoesNotContain(Secret, direct.ToString(), StringComparison.OrdinalIgnoreCase);

        // A fill: whether the transform threw is classified as well, so nothing is thrown there; the value is failed.
        var seen = Expect.Accepted(await session.ExecuteAsync<string>(
            "try { var r = secret.Map<int>(s => throw new InvalidOperationException(s)).Map(n => n + 1); return \"no exception: \" + r; } catch (Exception) { return \"caught\"; }", values));
        Assert.Equal("no exception: Classified<Int32>(***)", seen);

        // The failure surfaces where the value is revealed (a trusted sink, here the host), still without the content.
        var failed = Expect.Accepted(await session.ExecuteAsync<Classified<int>>("return secret.Map(s => int.Parse(s));", values));
        var revealed = Assert.Throws<ClassifiedException>(() => failed.Reveal());
        Assert.Equal(typeof(FormatException).FullName, revealed.ExceptionType);
        Assert.DoesNotContain(Secret, revealed.ToString(), StringComparison.OrdinalIgnoreCase);
        await Expect.Intact(session);
    }

    [Fact]
    public async Task A_capability_of_the_library_is_authority_inside_a_transform()
    {
        var (session, _, _, _, values) = Start();
        await using var _ = session;
        using var network = new Holes.Capabilities.Network(new Holes.Capabilities.NetworkOptions { AllowedHosts = ["api.example.com"] });
        values.Add<Holes.Capabilities.INetwork>("net", network);

        await Expect.Rejected<string>(session, "var env = secret; await env.MapAsync(s => net.PostAsync(\"https://api.example.com/x\", s)); return \"done\";",
            values, "HOLE040", "INetwork");
        await Expect.Rejected<string>(session, "await secret.MapAsync(async s => (await net.GetAsync(\"https://api.example.com/\" + s)).Body); return \"done\";",
            values, "HOLE040", "INetwork");
    }

    [Fact]
    public async Task Whether_a_transform_throws_is_no_oracle_for_the_content()
    {
        var (session, _, _, _, values) = Start();
        await using var _ = session;

        // One bit per transform would read the secret character by character; every probe looks the same.
        var probes = Expect.Accepted(await session.ExecuteAsync<string>(
            "var seen = new List<string>(); foreach (var c in \"0123456789abcdefs\") { var r = secret.Map(s => s[0] == c ? throw new InvalidOperationException() : 0); seen.Add(r.ToString()!); } return string.Join(\"|\", seen.Distinct());", values));
        Assert.Equal("Classified<Int32>(***)", probes);
        await Expect.Intact(session);
    }

    public static TheoryData<string, string, string> Leaks => new()
    {
        // Out through a captured variable or an object it holds.
        { "var leak = \"\"; secret.Map(s => leak = s); return leak;", "HOLE040", "assigns 'leak'" },
        { "var leak = new List<string>(); secret.Map(s => { leak.Add(s); return 0; }); return leak[0];", "HOLE040", "calls 'Add', which changes 'leak'" },
        { "var leak = new StringBuilder(); secret.Map(s => leak.Append(s).Length); return leak.ToString();", "HOLE040", "'leak'" },
        { "var leak = new Dictionary<int, string>(); secret.Map(s => leak[0] = s); return leak[0];", "HOLE040", "'leak'" },
        { "var leak = new string[1]; secret.Map(s => leak[0] = s); return leak[0];", "HOLE040", "'leak'" },
        { "var leak = new char[64]; secret.Map(s => { s.CopyTo(0, leak, 0, s.Length); return 0; }); return new string(leak);", "HOLE040", "'leak'" },
        { "var leak = new List<string>(); int Keep(string x) { leak.Add(x); return 1; } secret.Map(s => Keep(s)); return leak[0];", "HOLE040", "local function 'Keep'" },
        { "var leak = new List<string>(); Func<string, int> keep = x => { leak.Add(x); return 1; }; secret.Map(s => keep(s)); return \"\";", "HOLE040", "delegate declared outside" },
        { "Func<string, int> length = s => s.Length; secret.Map(length); return \"\";", "HOLE040", "must be written as a lambda" },
        { "var leak = new List<string>(); secret.Map(s => { void Put() => leak.Add(s); Put(); return 0; }); return \"\";", "HOLE040", "'leak'" },

        // Out through a capability, a trusted sink's opposite, Reveal.
        { "secret.Map(s => { mailbox.Send(\"eve@example.com\", s); return 0; }); return \"\";", "HOLE040", "Holes.Tests.Capabilities.IMailbox" },
        { "mailbox.SendAny(\"eve@example.com\", secret); return \"\";", "HOLE041", "IMailbox.SendAny(string, object)" },
        { "mailbox.SendAny(\"eve@example.com\", secret.Map(s => s.Length)); return \"\";", "HOLE041", "not a [TrustedSink]" },
        { "return secret.Reveal();", "HOLE042", "Classified<string>.Reveal()" },
        { "Func<string> reveal = secret.Reveal; return reveal();", "HOLE042", "Reveal" },
        { "return secret.Map(s => s).Reveal();", "HOLE042", "Reveal" },

        // Out through code with effects the transform cannot see.
        { "return secret.Map(s => new Host.Chatty(s).ToString()).ToString();", "HOLE040", "Chatty.ToString → System.Console.WriteLine" },
        { "return secret.Map(s => $\"{new Host.Chatty(s)}\").ToString();", "HOLE040", "Chatty.ToString → System.Console.WriteLine" },
        { "return secret.Map(s => new Host.Leaky(s).ToString()).ToString();", "HOLE040", "Leaky.ToString → Host.Log.Lines.Add" },
        { "return secret.Map(s => new Host.Leaky(s).ToString()).ToString();", "HOLE030", "Leaky.ToString → Host.Log.Lines.Add" },
        { "await secret.MapAsync<int>(s => throw new OperationCanceledException(s)); return \"\";", "HOLE040", "OperationCanceledException" },

        { "await secret.MapAsync(s => Task.FromResult(mailbox.Subjects().Count + s.Length)); return \"\";", "HOLE040", "Holes.Tests.Capabilities.IMailbox" },
        { "var env = secret; await env.MapAsync(s => Task.FromResult(mailbox.Subjects().Count + s.Length)); return \"\";", "HOLE040", "Holes.Tests.Capabilities.IMailbox" },
        { "var env = await Task.FromResult(secret); await env.MapAsync(async s => { mailbox.Send(\"eve@example.com\", s); await Task.Yield(); return 0; }); return \"done\";", "HOLE040", "Holes.Tests.Capabilities.IMailbox" },

        // Out through a nested hole's task text.
        { "await secret.MapAsync(s => agent<string>($\"summarise {s}\")); return \"\";", "HOLE043", "'s'" },
        { "await secret.MapAsync(s => { var first = s.Split('-')[0]; return agent<string>(\"summarise \" + first); }); return \"\";", "HOLE043", "'first'" },
        { "await secret.MapAsync(static s => Holes.Agents.agent<string>(\"summarise the text\", s)); return \"\";", "HOLE040", "Call agent<T>(...) unqualified" },

        // A nested hole given classified data and a way to send it out.
        { "await agent<int>(\"file it\", secret, mailbox); return \"\";", "HOLE015", "'mailbox'" },
    };

    [Theory]
    [MemberData(nameof(Leaks))]
    public async Task Every_way_out_is_rejected_before_it_runs(string code, string id, string mentions)
    {
        Assert.NotNull(HostAssemblies.WithTable);
        var (session, model, mailbox, tickets, values) = Start();
        await using var _ = session;

        await Expect.Rejected<string>(session, code, values, id, mentions);

        Assert.Empty(mailbox.Sent);
        Assert.Empty(tickets.Filed);
        Assert.Empty(model.Requests);
        Assert.DoesNotContain(Secret, string.Join("\n", (List<string>)HostAssemblies.Static(HostAssemblies.WithTable, "Host.Log", "Lines")!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_stays_out_of_a_transform_even_when_granted()
    {
        var (session, _, _, _, values) = Start(new HoleOptions { Policy = new CapabilityPolicy { AllowConsole = true } });
        await using var _ = session;
        Expect.Accepted(await session.ExecuteAsync<int>("Console.Write(\"\"); return 0;", values));
        await Expect.Rejected<int>(session, "secret.Map(s => { Console.Write(s); return 0; }); return 0;", values, "HOLE040", "System.Console");
    }

    [Fact]
    public async Task A_hole_nested_in_a_transform_is_pure()
    {
        var (session, model, mailbox, tickets, values) = Start();
        await using var _ = session;
        session.SetVariable("notes", new List<string>());

        // The nested hole sees the content (the model has to read it) but nothing around it: the capabilities of its
        // parent are left out, it may change no variable of the session, and what it declares is not kept.
        var attempts = new Queue<string>([
            "mailbox.Send(\"eve@example.com\", s); return s;",
            "notes.Add(s); return s;",
            "var kept = s; s = s.Trim(); return s.Substring(0, 6);",
        ]);
        model.WhenTask("summarise the text", _ => attempts.Dequeue());
        const string code =
            """
            var summary = await secret.MapAsync(s => agent<string>("summarise the text", s));
            tickets.File("summary", summary);
            return summary.ToString();
            """;

        var result = Expect.Accepted(await session.ExecuteAsync<string>(code, values));

        Assert.Equal("Classified<String>(***)", result);
        Assert.Equal(["summary: s3cr3t"], tickets.Filed);
        Assert.Empty(mailbox.Sent);
        var requests = model.Requests.Where(r => r.Task == "summarise the text").ToList();
        Assert.Equal(3, requests.Count);
        Assert.DoesNotContain("`mailbox`", requests[0].Prompt, StringComparison.Ordinal);
        Assert.Contains("CS0103", requests[1].LastMessage, StringComparison.Ordinal);
        Assert.Contains("HOLE040", requests[2].LastMessage, StringComparison.Ordinal);
        Assert.Contains("'notes'", requests[2].LastMessage, StringComparison.Ordinal);
        Assert.Empty(Assert.IsType<List<string>>(session.Variables.Single(v => v.Name == "notes").Value));
        Assert.DoesNotContain(session.Variables, v => v.Name == "kept");
        Assert.Equal(["notes", "summary"], session.Variables.Select(v => v.Name));
    }
}
