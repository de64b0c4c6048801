using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

public static partial class HostileCases
{
    /// <summary>
    /// Session corruption: commits are atomic and never lose an update, a faulted fill commits nothing, a leaked task
    /// cannot write a committed variable, and a fill cannot replace or drop what the program granted.
    /// </summary>
    private static IEnumerable<HostileCase> Session()
    {
        static HostileCase C(string name, string code, Outcome expect = Outcome.Block) => new("session/" + name, Category.Session, code, expect);

        yield return C("concurrent-increments", "counter += 1; return counter;", Outcome.Contain)
            with { Setup = "var counter = 0; return 0;", Scenario = "concurrent-increments" };
        yield return C("faulted-fill-partially-commits", "a = 2; b = 2; throw new InvalidOperationException(\"stop\");")
            with { Setup = "var a = 1; var b = 1; return 0;", After = ("return $\"{a}{b}\";", "11") };
        yield return C("faulted-fill-declares", "var planted = 7; a = 5; throw new InvalidOperationException(\"stop\");")
            with { Setup = "var a = 1; return 0;", After = ("return a.ToString();", "1") };
        yield return C("leaked-task-rewrites-committed-variable", "_ = Task.Run(async () => { while (true) { counter = 99; await Task.Delay(5); } }); counter = 1; return counter;")
            with { Setup = "var counter = 0; return 0;", After = ("return counter.ToString();", "0"), SettleMilliseconds = 400 };
        yield return C("leaked-task-mutates-committed-list", "_ = Task.Run(async () => { while (true) { items.Add(1); await Task.Delay(5); } }); return 0;")
            with { Setup = "var items = new List<int>(); return 0;", After = ("return items.Count.ToString();", "0"), SettleMilliseconds = 400 };
        yield return C("leaked-continuation-writes-after-commit", "var late = new List<int>(); _ = Task.Delay(100).ContinueWith(_ => { for (var i = 0; i < 1000; i++) { late.Add(i); } }); return 0;")
            with { Exploit = "await Task.Delay(300); return late.Count.ToString();", SettleMilliseconds = 400 };
        yield return C("overwrite-granted-capability", "webhook = null!; return 0;", Outcome.Contain)
            with { Grants = "webhook", After = ("return webhook is null ? \"lost\" : \"kept\";", "kept") };
        yield return C("shadow-granted-capability", "var webhook = 5; return webhook;", Outcome.Contain)
            with { Grants = "webhook", After = ("object o = webhook; return o is Host.IWebhook ? \"kept\" : \"lost\";", "kept") };
    }
}
