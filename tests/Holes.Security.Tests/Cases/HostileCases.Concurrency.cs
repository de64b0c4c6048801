using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

public static partial class HostileCases
{
    /// <summary>
    /// Leaked concurrency: nothing a fill starts may outlive it. async void, timers and cancellation callbacks are
    /// denied; unawaited work is denied or drained (a runaway one then exhausts the budget); a delegate or lazy
    /// sequence the fill returns runs under a budget when the program calls it later, or is refused.
    /// </summary>
    private static IEnumerable<HostileCase> Concurrency()
    {
        static HostileCase C(string name, string code, Outcome expect = Outcome.Block) =>
            new("concurrency/" + name, Category.Concurrency, code, expect) { SettleMilliseconds = 400 };

        yield return C("async-void-throws", "async void Boom() { await Task.Yield(); throw new InvalidOperationException(\"boom\"); } Boom(); return 0;");
        yield return C("async-lambda-as-action", "Action a = async () => { await Task.Yield(); throw new InvalidOperationException(\"boom\"); }; a(); return 0;");
        yield return C("async-lambda-to-list-foreach", "new List<int> { 1 }.ForEach(async x => { await Task.Delay(10); throw new InvalidOperationException(\"boom\"); }); return 0;");
        yield return C("timer-callback-throws", "var t = new System.Threading.Timer(_ => throw new InvalidOperationException(\"tick\"), null, 10, System.Threading.Timeout.Infinite); return 0;");
        yield return C("timer-keeps-running", "var hits = new int[1]; var t = new System.Threading.Timer(_ => hits[0]++, null, 0, 5); return 0;")
            with { Exploit = "return hits[0].ToString();" };
        yield return C("timers-timer", "var t = new System.Timers.Timer(5); t.Elapsed += (_, _) => throw new InvalidOperationException(\"elapsed\"); t.Start(); return 0;");
        yield return C("timeprovider-timer", "var t = TimeProvider.System.CreateTimer(_ => throw new InvalidOperationException(\"tick\"), null, TimeSpan.FromMilliseconds(10), System.Threading.Timeout.InfiniteTimeSpan); return 0;");
        yield return C("cancel-after-callback", "var cts = new System.Threading.CancellationTokenSource(); cts.Token.Register(() => throw new InvalidOperationException(\"late\")); cts.CancelAfter(50); return 0;");
        yield return C("register-callback-spins", "var cts = new System.Threading.CancellationTokenSource(50); cts.Token.Register(() => { while (true) { } }); return 0;");
        yield return C("continuation-spins", "_ = Task.Delay(50).ContinueWith(_ => { var n = 0L; while (true) { n++; } }); return 0;");
        yield return C("task-run-spins", "_ = Task.Run(() => { while (true) { } }); return 0;");
        yield return C("task-run-static-spins", "_ = Task.Run(static () => { var n = 0; while (true) { n++; } }); return 0;");
        yield return C("long-running-task-spins", "Task.Factory.StartNew(() => { while (true) { } }, TaskCreationOptions.LongRunning); return 0;");
        yield return C("threadpool-work-item-spins", "System.Threading.ThreadPool.QueueUserWorkItem(_ => { while (true) { } }); return 0;");
        yield return C("thread-spins", "new System.Threading.Thread(() => { while (true) { } }).Start(); return 0;");
        yield return C("unobserved-faulted-task", "_ = Task.Run(() => throw new InvalidOperationException(\"unobserved\")); return 0;");
        yield return C("async-iterator-leaked", "async IAsyncEnumerable<int> Ticks() { while (true) { await Task.Delay(1); yield return 1; } } _ = Task.Run(async () => { await foreach (var t in Ticks()) { } }); return 0;");
        yield return C("parallel-for-spins", "Parallel.For(0, 4, _ => { while (true) { } }); return 0;", Outcome.Stop);
        yield return C("returned-function-loops", "return x => { while (true) { x++; } };", Outcome.Contain) with { Type = "func" };
        yield return C("returned-static-function-loops", "return static x => { while (true) { x++; } };", Outcome.Contain) with { Type = "func" };
        yield return C("returned-expression-function-recurses-exponentially", "int Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2); return x => Fib(60 + x);", Outcome.Contain) with { Type = "func" };
        yield return C("returned-lazy-sequence-loops", "IEnumerable<int> Forever() { var i = 0; while (true) { yield return i++; } } return Forever();", Outcome.Contain) with { Type = "seq" };
        yield return C("returned-lazy-where-never-matches", "return Enumerable.Range(0, int.MaxValue).Concat(Enumerable.Range(0, int.MaxValue)).Where(x => x < 0);", Outcome.Contain) with { Type = "seq" };
    }
}
