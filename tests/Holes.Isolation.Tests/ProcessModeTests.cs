using Holes;
using Holes.Testing;
using static Holes.Isolation.Tests.Sessions;

namespace Holes.Isolation.Tests;

/// <summary>Fills that run in the worker behave as they do in process: values in, results out, variables kept.</summary>
public sealed class ProcessModeTests
{
    [Fact]
    public async Task A_simple_fill_runs_in_the_worker_not_in_the_host()
    {
        await using var session = Process();
        var xs = new List<int> { 1, 2, 3, 4, 5, 6 };
        var evens = Accepted(await session.ExecuteAsync<List<int>>("return xs.Where(x => x % 2 == 0).ToList();", new HoleBindings().Add("xs", xs)));
        Assert.Equal([2, 4, 6], evens);
        Assert.True(session.Protections.HasFlag(HoleProtections.Killable));
    }

    [Fact]
    public async Task Records_lists_and_dictionaries_cross_both_ways()
    {
        await using var session = Process();
        var orders = new List<Order>
        {
            new("A1", [new Line("pen", 3, 1.5m), new Line("ink", 1, 7m)]),
            new("A2", [new Line("pen", 1, 1.5m)]),
        };
        var bindings = new HoleBindings().Add("orders", orders);
        var totals = Accepted(await session.ExecuteAsync<Dictionary<string, decimal>>(
            "return orders.ToDictionary(o => o.Id, o => o.Lines.Sum(l => l.Quantity * l.Price));", bindings));
        Assert.Equal(11.5m, totals["A1"]);
        Assert.Equal(1.5m, totals["A2"]);

        var bySku = Accepted(await session.ExecuteAsync<List<Line>>(
            "return orders.SelectMany(o => o.Lines).GroupBy(l => l.Sku).Select(g => new global::Holes.Isolation.Tests.Line(g.Key, g.Sum(l => l.Quantity), g.First().Price)).OrderBy(l => l.Sku).ToList();",
            new HoleBindings().Add("orders", orders)));
        Assert.Equal([new Line("ink", 1, 7m), new Line("pen", 4, 1.5m)], bySku);

        var turing = Accepted(await session.ExecuteAsync<Person>("return new global::Holes.Isolation.Tests.Person(\"Alan Turing\", 1912, \"computability\");"));
        Assert.Equal(new Person("Alan Turing", 1912, "computability"), turing);
    }

    [Fact]
    public async Task Session_variables_live_in_the_worker_across_holes()
    {
        await using var session = Process();
        Accepted(await session.ExecuteAsync<int>("var counter = 5; var names = new List<string> { \"a\" }; Func<int, int> twice = x => x * 2; return 0;"));
        Assert.Equal(6, Accepted(await session.ExecuteAsync<int>("counter += 1; names.Add(\"b\"); return counter;")));
        Assert.Equal(42, Accepted(await session.ExecuteAsync<int>("return twice(21);")));

        // The host's view follows the worker: assignments and changes made in place to a variable a fill read.
        var variables = session.Variables.ToDictionary(v => v.Name);
        Assert.Equal(6, variables["counter"].Value);
        Assert.Equal(["a", "b"], Assert.IsType<List<string>>(variables["names"].Value));
        Assert.Contains("Func", variables["twice"].TypeName, StringComparison.Ordinal);

        Assert.True(session.RemoveVariable("counter"));
        var gone = await session.ExecuteAsync<int>("return counter;");
        Assert.Equal(HoleStatus.Rejected, gone.Status);
    }

    [Fact]
    public async Task A_function_result_is_a_host_delegate_that_calls_into_the_worker()
    {
        await using var session = Process();
        var roman = Accepted(await session.ExecuteAsync<Func<int, string>>("""
            return n =>
            {
                var map = new[] { (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I") };
                var sb = new StringBuilder();
                foreach (var (value, numeral) in map) { while (n >= value) { sb.Append(numeral); n -= value; } }
                return sb.ToString();
            };
            """));
        Assert.Equal("MCMXII", roman(1912));
        Assert.Equal("IV", roman(4));

        // Handed back to another fill, the function crosses as itself.
        Assert.Equal("XLII", Accepted(await session.ExecuteAsync<string>("return f(42);", new HoleBindings().Add("f", roman))));
    }

    [Fact]
    public async Task A_capability_proxy_call_runs_on_the_real_object_in_the_host()
    {
        await using var session = Process();
        var mailbox = new RecordingMailbox();
        var count = Accepted(await session.ExecuteAsync<int>(
            "mail.Send(\"ada\", \"hello\"); var text = await mail.FetchAsync(0); mail.Send(\"bob\", text + \" again\"); return mail.Count();",
            new HoleBindings().Add<IMailbox>("mail", mailbox)));
        Assert.Equal(2, count);
        Assert.Equal([("ada", "hello"), ("bob", "hello again")], mailbox.Sent.Select(s => (s.To, s.Text)));
        Assert.All(mailbox.Sent, s => Assert.Equal(Environment.ProcessId, s.ProcessId));
    }

    [Fact]
    public async Task A_capability_method_that_takes_a_cancellation_token_can_be_called()
    {
        await using var session = Process();
        var mailbox = new RecordingMailbox();
        var count = Accepted(await session.ExecuteAsync<int>(
            "mail.Send(\"ada\", \"hello\"); using var cts = new System.Threading.CancellationTokenSource(); return await mail.CountAsync() + await mail.CountAsync(cts.Token);",
            new HoleBindings().Add<IMailbox>("mail", mailbox)));
        Assert.Equal(2, count);
    }

    [Theory]
    [InlineData("var stash = new List<object> { mail }; return 0;")]
    [InlineData("var anon = new { Hook = (object)mail }; return 0;")]
    public async Task A_capability_inside_a_committed_value_is_refused_in_the_worker(string code)
    {
        await using var session = Process();
        var mailbox = new RecordingMailbox();
        var kept = await session.ExecuteAsync<int>(code, new HoleBindings().Add<IMailbox>("mail", mailbox));

        Assert.NotEqual(HoleStatus.Accepted, kept.Status);
        Assert.DoesNotContain(session.Variables, v => v.Name is "stash" or "anon");
        Assert.Equal(3, Accepted(await session.ExecuteAsync<int>("return 1 + 2;")));
    }

    [Fact]
    public async Task A_capability_kept_past_its_hole_is_revoked()
    {
        await using var session = Process();
        var mailbox = new RecordingMailbox();
        var kept = await session.ExecuteAsync<int>("var saved = mail; return 0;", new HoleBindings().Add<IMailbox>("mail", mailbox));
        if (!kept.IsAccepted)
        {
            // The verifier refuses to commit a capability to a session variable (HOLE033): nothing to revoke then.
            Assert.Contains(kept.Diagnostics, d => d.Id == "HOLE033");
            return;
        }

        var late = await session.ExecuteAsync<int>("saved.Send(\"eve\", \"late\"); return 1;");
        Assert.Equal(HoleStatus.Faulted, late.Status);
        Assert.Contains("revoked", late.Exception!.ToString(), StringComparison.Ordinal);
        Assert.Empty(mailbox.Sent);
    }

    [Fact]
    public async Task Classified_values_cross_and_stay_classified()
    {
        await using var session = Process();
        var secret = new Classified<string>("hunter2");

        // On the wire the content travels (both ends are the engine) and arrives classified again.
        var json = Holes.Execution.Isolated.DataCopy.Serialize(secret, typeof(Classified<string>));
        var copy = Assert.IsType<Classified<string>>(Holes.Execution.Isolated.DataCopy.Deserialize(json, typeof(Classified<string>)));
        Assert.Equal("hunter2", copy.Reveal());
        Assert.Equal("Classified<String>(***)", copy.ToString());

        var mapped = await session.ExecuteAsync<Classified<int>>("return secret.Map(s => s.Length);", new HoleBindings().Add("secret", secret));
        var length = Accepted(mapped);
        Assert.Equal(7, length.Reveal());
        Assert.DoesNotContain("7", length.ToString(), StringComparison.Ordinal);
        Assert.Equal("Classified<String>(***)", Accepted(await session.ExecuteAsync<string>("return secret.ToString();", new HoleBindings().Add("secret", secret))));
    }

    [Fact]
    public async Task A_value_that_cannot_cross_is_refused_by_name_before_the_fill_runs()
    {
        await using var session = Process();
        using var stream = new MemoryStream([1, 2, 3]);
        var refused = await session.ExecuteAsync<int>("return 1;", new HoleBindings().Add("stream", stream));
        Assert.Equal(HoleStatus.Faulted, refused.Status);
        var message = Assert.IsAssignableFrom<HoleException>(refused.Exception).Message;
        Assert.Contains("'stream'", message, StringComparison.Ordinal);
        Assert.Contains("cannot cross", message, StringComparison.Ordinal);

        var lazy = await session.ExecuteAsync<int>("return items.Count();", new HoleBindings().Add("items", Enumerable.Range(0, int.MaxValue).Select(i => i * 2)));
        Assert.Contains("lazy sequence", lazy.Exception!.Message, StringComparison.Ordinal);

    }

    [Fact]
    public async Task A_capability_handed_as_its_class_crosses_as_its_capability_interface()
    {
        await using var session = Process();
        var mailbox = new RecordingMailbox();
        var count = Accepted(await session.ExecuteAsync<int>("mail.Send(\"ada\", \"hi\"); return mail.Count();", new HoleBindings().Add("mail", mailbox)));
        Assert.Equal(1, count);
        Assert.Equal(Environment.ProcessId, Assert.Single(mailbox.Sent).ProcessId);
    }

    [Fact]
    public async Task An_exception_in_the_worker_comes_back_with_its_type_and_line()
    {
        await using var session = Process();
        var result = await session.ExecuteAsync<int>("var x = 1;\nif (x == 1) throw new InvalidOperationException(\"boom\");\nreturn x;");
        Assert.Equal(HoleStatus.Faulted, result.Status);
        var fault = Assert.IsType<HoleFaultedException>(result.Exception);
        Assert.IsType<InvalidOperationException>(fault.InnerException);
        Assert.Equal("boom", fault.InnerException!.Message);
        Assert.Equal(2, fault.FillLine);
    }

    [Fact]
    public async Task A_nested_hole_in_a_worker_fill_is_filled_by_the_host_engine()
    {
        var model = new ScriptedChatClient()
            .When(r => r.Task == "double each", _ => FillReplies.Code("return xs.Select(x => x * 2).ToList();"))
            .When(r => r.Task == "sum the doubles", _ => FillReplies.Code("var doubled = await agent<List<int>>(\"double each\", xs); return doubled.Sum();"));
        await using var session = Process(model: model);
        AgentSession.Current = session;
        var xs = new List<int> { 1, 2, 3 };
        var sum = await Agents.agent<int>("sum the doubles", xs);
        Assert.Equal(12, sum);
        Assert.Equal(2, model.Requests.Count);
    }

    [Fact]
    public async Task A_function_handed_in_runs_in_the_host_when_the_fill_calls_it()
    {
        await using var session = Process();
        var calls = new List<int>();
        Func<int, bool> keep = x => { lock (calls) { calls.Add(Environment.ProcessId); } return x % 3 == 0; };
        var kept = Accepted(await session.ExecuteAsync<List<int>>("return xs.Where(keep).ToList();",
            new HoleBindings().Add("xs", new List<int> { 1, 3, 4, 6, 9 }).Add("keep", keep)));
        Assert.Equal([3, 6, 9], kept);
        Assert.Equal(5, calls.Count);
        Assert.All(calls, pid => Assert.Equal(Environment.ProcessId, pid));
    }

    [Fact]
    public async Task A_task_typed_hole_gets_a_task_of_the_value()
    {
        await using var session = Process();
        var task = Accepted(await session.ExecuteAsync<Task<int>>("return Task.FromResult(n * 2);", new HoleBindings().Add("n", 21)));
        Assert.Equal(42, await task);
    }

    [Fact]
    public async Task Parallel_nested_holes_from_a_worker_fill_are_filled_concurrently()
    {
        var model = new ScriptedChatClient()
            .When(r => r.Task == "summarise doc", _ => FillReplies.Code("return doc.Split(' ')[0].ToUpperInvariant();"))
            .When(r => r.Task == "summarise each", _ => FillReplies.Code(
                "var parts = await Task.WhenAll(docs.Select(doc => agent<string>(\"summarise doc\", doc))); return string.Join(\",\", parts);"));
        await using var session = Process(model: model);
        AgentSession.Current = session;
        string[] docs = ["holes fill types", "roslyn checks fills", "sessions keep variables"];
        Assert.Equal("HOLES,ROSLYN,SESSIONS", await Agents.agent<string>("summarise each", docs));
        Assert.Equal(4, model.Requests.Count);
    }

    [Fact]
    public async Task Variables_the_host_sets_and_capabilities_it_grants_reach_the_worker()
    {
        await using var session = Process();
        session.SetVariable("threshold", 3);
        session.SetVariable("names", new List<string> { "a", "b" });
        var mailbox = new RecordingMailbox();
        session.Grant<IMailbox>("mail", mailbox);

        var count = Accepted(await session.ExecuteAsync<int>("mail.Send(\"ada\", string.Join(\",\", names)); return threshold + mail.Count();"));
        Assert.Equal(4, count);
        Assert.Equal([("ada", "a,b")], mailbox.Sent.Select(m => (m.To, m.Text)));

        // The grant outlives the hole (a fresh proxy per fill); the host can still change and remove variables.
        session.SetVariable("threshold", 10);
        Assert.Equal(11, Accepted(await session.ExecuteAsync<int>("return threshold + mail.Count();")));
        Assert.True(session.RemoveVariable("threshold"));
        Assert.Equal(HoleStatus.Rejected, (await session.ExecuteAsync<int>("return threshold;")).Status);

        using var stream = new MemoryStream();
        var refused = Assert.Throws<ArgumentException>(() => session.SetVariable("bytes", stream));
        Assert.Contains("isolated worker", refused.Message, StringComparison.Ordinal);
    }
}
