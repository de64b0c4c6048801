using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

public static partial class HostileCases
{
    /// <summary>
    /// Blocking waits on things that never happen: denied, made to observe the budget, or made to fail at once
    /// (Task.Result on an unfinished task throws in a fill): anything but a hang.
    /// </summary>
    private static IEnumerable<HostileCase> Blocking()
    {
        static HostileCase C(string name, string code) => new("blocking/" + name, Category.Blocking, code, Outcome.Block);

        yield return C("task-wait", "Task.Delay(-1).Wait(); return 0;");
        yield return C("task-result", "return new TaskCompletionSource<int>().Task.Result;");
        yield return C("getawaiter-getresult", "return new TaskCompletionSource<int>().Task.GetAwaiter().GetResult();");
        yield return C("blockingcollection-take", "var queue = new System.Collections.Concurrent.BlockingCollection<int>(); return queue.Take();");
        yield return C("thread-sleep-infinite", "System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite); return 0;");
        yield return C("spinwait-until-false", "System.Threading.SpinWait.SpinUntil(() => false); return 0;");
        yield return C("manualreseteventslim-wait", "new System.Threading.ManualResetEventSlim(false).Wait(); return 0;");
        yield return C("semaphoreslim-wait", "new System.Threading.SemaphoreSlim(0).Wait(); return 0;");
        yield return C("task-waitall", "Task.WaitAll(new TaskCompletionSource().Task); return 0;");
        yield return C("countdown-event-wait", "new System.Threading.CountdownEvent(1).Wait(); return 0;");
        yield return C("barrier-signal-and-wait", "new System.Threading.Barrier(2).SignalAndWait(); return 0;");
        yield return C("channel-read-result", "return System.Threading.Channels.Channel.CreateUnbounded<int>().Reader.ReadAsync().AsTask().Result;");
        yield return C("await-never", "return await new TaskCompletionSource<int>().Task;");
        yield return C("await-infinite-delay", "await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan); return 0;");
    }
}
