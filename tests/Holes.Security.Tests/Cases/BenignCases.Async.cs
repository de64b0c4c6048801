using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

public static partial class BenignCases
{
    /// <summary>Async code (awaited delays, WhenAll of local async functions, channels, async iterators) and iterators.</summary>
    private static IEnumerable<BenignCase> Async()
    {
        static BenignCase B(string name, string code, string expected) => new("async/" + name, BenignGroup.Async, code, expected);

        yield return B("await-delay", """await Task.Delay(1); return "done";""", "done");
        yield return B("whenall-local-async-functions", """async Task<int> Square(int x) { await Task.Delay(1); return x * x; } var r = await Task.WhenAll(Enumerable.Range(1, 4).Select(Square)); return string.Join(",", r);""", "1,4,9,16");
        yield return B("async-lambda", """Func<int, Task<int>> twice = async x => { await Task.Yield(); return x * 2; }; return (await twice(21)).ToString();""", "42");
        yield return B("valuetask-local-function", """async ValueTask<int> Get() { await Task.Yield(); return 7; } return (await Get()).ToString();""", "7");
        yield return B("awaited-continuation", """var t = Task.FromResult(20).ContinueWith(t => t.Result + 1); return (await t).ToString();""", "21");
        yield return B("whenany", """async Task<string> Fast() { await Task.Delay(1); return "fast"; } var never = new TaskCompletionSource<string>().Task; var first = await Task.WhenAny(Fast(), never); return await first;""", "fast");
        yield return B("batched-whenall", """
            async Task<int> Work(int i) { await Task.Delay(1); return i * i; }
            var results = new List<int>();
            foreach (var batch in Enumerable.Range(1, 7).Chunk(3))
            {
                results.AddRange(await Task.WhenAll(batch.Select(Work)));
            }
            return string.Join(",", results);
            """, "1,4,9,16,25,36,49");
        yield return B("cancelled-delay", """using var cts = new System.Threading.CancellationTokenSource(); cts.Cancel(); try { await Task.Delay(1000, cts.Token); return "no"; } catch (OperationCanceledException) { return "cancelled"; }""", "cancelled");
        yield return B("fibonacci-iterator", """IEnumerable<int> Fib() { int a = 0, b = 1; while (true) { yield return a; (a, b) = (b, a + b); } } return string.Join(",", Fib().Take(10));""", "0,1,1,2,3,5,8,13,21,34");
        yield return B("iterator-yield-break", """IEnumerable<string> Lines(string text) { foreach (var line in text.Split('\n')) { if (line == "END") yield break; yield return line.Trim(); } } return string.Join("|", Lines("a\n b\nEND\nc"));""", "a|b");
        yield return B("static-iterator-primes", """static IEnumerable<int> Primes() { for (var n = 2; ; n++) { var prime = true; for (var d = 2; d * d <= n; d++) { if (n % d == 0) { prime = false; break; } } if (prime) yield return n; } } return string.Join(",", Primes().Take(8));""", "2,3,5,7,11,13,17,19");
        yield return B("generic-iterator", """IEnumerable<T> EveryOther<T>(IEnumerable<T> xs) { var keep = true; foreach (var x in xs) { if (keep) yield return x; keep = !keep; } } return string.Concat(EveryOther("abcdefg"));""", "aceg");
        yield return B("async-iterator", """async IAsyncEnumerable<int> Count(int n) { for (var i = 1; i <= n; i++) { await Task.Yield(); yield return i; } } var sum = 0; await foreach (var i in Count(5)) { sum += i; } return sum.ToString();""", "15");
        yield return B("whenall-async-lambdas", """var results = await Task.WhenAll(Enumerable.Range(1, 5).Select(async i => { await Task.Yield(); return i * 10; })); return results.Sum().ToString();""", "150");
        yield return B("async-pipeline-stages", """async IAsyncEnumerable<int> Produce() { for (var i = 1; i <= 5; i++) { await Task.Yield(); yield return i; } } async IAsyncEnumerable<int> Square(IAsyncEnumerable<int> xs) { await foreach (var x in xs) yield return x * x; } var total = 0; await foreach (var x in Square(Produce())) { total += x; } return total.ToString();""", "55");
        yield return B("task-fromresult-whenall", """async Task<int> Three() { await Task.CompletedTask; return 3; } var tasks = new[] { Task.FromResult(1), Task.FromResult(2), Three() }; return (await Task.WhenAll(tasks)).Sum().ToString();""", "6");
        yield return B("lazy-value", """var calls = 0; var lazy = new Lazy<int>(() => { calls++; return 42; }); return $"{lazy.Value + lazy.Value}/{calls}";""", "84/1");
        yield return B("whenall-tuples", """async Task<(string, int)> Fetch(string k) { await Task.Delay(1); return (k, k.Length); } var all = await Task.WhenAll(new[] { "a", "bb", "ccc" }.Select(Fetch)); return string.Join(",", all.Select(x => $"{x.Item1}{x.Item2}"));""", "a1,bb2,ccc3");
        yield return B("configure-await", """await Task.Delay(1).ConfigureAwait(false); return "ok";""", "ok");
        yield return B("retry-with-backoff", """
            var attempts = 0;
            async Task<int> Flaky() { await Task.Yield(); attempts++; if (attempts < 3) throw new InvalidOperationException("transient"); return attempts; }
            for (var i = 0; ; i++)
            {
                try { return (await Flaky()).ToString(); }
                catch (InvalidOperationException) when (i < 5) { await Task.Delay(1 << i); }
            }
            """, "3");
        yield return B("whenany-continuewith", """var fast = Task.Delay(1).ContinueWith(_ => "fast"); var never = new TaskCompletionSource<string>().Task; var first = await Task.WhenAny(fast, never); return await first;""", "fast");
        yield return B("whenall-continuewith", """var tasks = new[] { Task.FromResult(1), Task.FromResult(2), Task.CompletedTask.ContinueWith(_ => 3) }; return (await Task.WhenAll(tasks)).Sum().ToString();""", "6");
        yield return B("awaited-continuewith", """var n = await Task.FromResult(20).ContinueWith(t => t.Result + 1); return n.ToString();""", "21");
        yield return B("async-with-timeout-token", """using var cts = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(30)); await Task.Delay(1, cts.Token); return cts.IsCancellationRequested.ToString();""", "False");
        yield return B("async-with-token", """using var cts = new System.Threading.CancellationTokenSource(); await Task.Delay(1, cts.Token); return cts.IsCancellationRequested.ToString();""", "False");
        yield return B("iterator-pipeline", """IEnumerable<int> Evens(IEnumerable<int> xs) { foreach (var x in xs) if (x % 2 == 0) yield return x; } IEnumerable<int> Doubled(IEnumerable<int> xs) { foreach (var x in xs) yield return x * 2; } return string.Join(",", Doubled(Evens(Enumerable.Range(1, 8))));""", "4,8,12,16");
        yield return B("expression-bodied-recursion", """int Fact(int n) => n <= 1 ? 1 : n * Fact(n - 1); long Pow(long b, int e) => e == 0 ? 1 : b * Pow(b, e - 1); return $"{Fact(10)}|{Pow(3, 13)}";""", "3628800|1594323");
        yield return B("static-lambda", """Func<int, int> square = static x => x * x; Func<int, int, int> add = static (a, b) => a + b; return add(square(3), square(4)).ToString();""", "25");
        yield return B("local-function-recursion-depth-100", """int Depth(int n) { if (n == 0) return 0; return 1 + Depth(n - 1); } return Depth(100).ToString();""", "100");
        yield return B("goto-retry-loop", """var tries = 0; retry: tries++; if (tries < 3) goto retry; return tries.ToString();""", "3");
    }
}
