using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

public static partial class HostileCases
{
    /// <summary>
    /// Budget bypasses: every shape of loop and recursion must reach a budget check (or be refused). The framework
    /// loops that never call back into fill code are the documented in-process residue. A regex with an unbounded
    /// timeout may also be refused where it is made (a fault), which blocks it as well.
    /// </summary>
    private static IEnumerable<HostileCase> Budget()
    {
        static HostileCase C(string name, string code, Outcome expect = Outcome.Stop) => new("budget/" + name, Category.Budget, code, expect);

        yield return C("while-true-increment", "var n = 0; while (true) { n++; }");
        yield return C("while-true-empty-statement", "while (true) ;");
        yield return C("for-ever", "for (;;) { }");
        yield return C("do-while-long", "var n = 0L; do { n++; } while (n >= 0); return (int)n;");
        yield return C("continue-before-the-body", "var i = 0; while (true) { if (i >= 0) continue; i++; }");
        yield return C("goto-loop", "var n = 0; top: n++; goto top;");
        yield return C("goto-in-nested-block", "long n = 0; { again: n++; if (n > -1) goto again; } return (int)n;");
        yield return C("goto-between-switch-cases", "var s = 0; switch (s) { case 0: s = 1; goto case 1; case 1: s = 0; goto case 0; } return s;");
        yield return C("static-local-function-loop", "static int Spin(int n) { while (true) { n++; } } return Spin(0);");
        yield return C("static-lambda-loop", "Func<int, int> spin = static n => { while (true) { n++; } }; return spin(0);");
        yield return C("expression-bodied-exponential-recursion", "int Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2); return Fib(64);");
        yield return C("static-expression-bodied-exponential-recursion", "static long Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2); return (int)Fib(80);");
        yield return C("lambda-exponential-recursion", "Func<int, long> fib = null!; fib = n => n < 2 ? n : fib(n - 1) + fib(n - 2); return (int)fib(80);");
        yield return C("iterator-forever", "IEnumerable<int> Forever() { var i = 0; while (true) { yield return i++; } } return Forever().Count();");
        yield return C("static-iterator-forever", "static IEnumerable<int> Forever() { var i = 0; while (true) { yield return i++; } } return Forever().Max();");
        yield return C("async-state-machine-loop", "async Task<int> Spin() { var n = 0; while (true) { n++; await Task.Yield(); } } return await Spin();");
        yield return C("static-async-loop-rarely-awaiting", "static async Task<int> Spin() { var n = 0; while (true) { n++; if (n == int.MinValue) await Task.Yield(); } } return await Spin();");
        yield return C("query-cross-join", "var r = Enumerable.Range(0, 200_000); return (from a in r from b in r select a ^ b).Count();");
        yield return C("query-let-where-forever", "var r = Enumerable.Range(0, int.MaxValue); return (from a in r let b = a * 2 where b < 0 select a).Count();");
        yield return C("aggregate-huge-range", "return Enumerable.Range(0, int.MaxValue).Aggregate(0, (acc, x) => acc ^ x);");
        yield return C("selectmany-huge", "return Enumerable.Range(0, 1 << 20).SelectMany(i => Enumerable.Range(0, 1 << 20)).Where(x => x < 0).Count();");
        yield return C("count-predicate-huge", "return Enumerable.Range(0, int.MaxValue).Count(x => x >= 0) + Enumerable.Range(0, int.MaxValue).Count(x => x >= 0);");
        yield return C("orderby-40m", "return Enumerable.Range(0, 40_000_000).OrderBy(x => -x).ThenBy(x => x % 7).ToList().Count;")
            with { InProcess = Residue.FrameworkLoop, Note = "the sort itself never calls back" };
        yield return C("array-sort-repeated", "var a = new int[30_000_000]; for (var i = 0; i < a.Length; i++) { a[i] = a.Length - i; } for (var k = 0; k < 1000; k++) { Array.Sort(a); Array.Reverse(a); } return a[0];")
            with { InProcess = Residue.FrameworkLoop };
        yield return C("regex-catastrophic-infinite-timeout", "return new System.Text.RegularExpressions.Regex(\"(a+)+$\", System.Text.RegularExpressions.RegexOptions.None, System.Text.RegularExpressions.Regex.InfiniteMatchTimeout).IsMatch(new string('a', 40) + \"!\") ? 1 : 0;", Outcome.Block)
            with { InProcess = Residue.FrameworkLoop };
        yield return C("regex-catastrophic-one-day-timeout", "return System.Text.RegularExpressions.Regex.IsMatch(new string('a', 40) + \"!\", \"(a|aa)+$\", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromDays(1)) ? 1 : 0;", Outcome.Block)
            with { InProcess = Residue.FrameworkLoop };
        yield return C("regex-catastrophic-default-timeout", "return System.Text.RegularExpressions.Regex.Matches(new string('a', 40) + \"!\", \"(a*)*b\").Count;", Outcome.Block)
            with { InProcess = Residue.FrameworkLoop };
    }
}
