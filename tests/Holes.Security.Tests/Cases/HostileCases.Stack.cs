using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

public static partial class HostileCases
{
    /// <summary>
    /// Stack exhaustion. Recursion through fill code must reach the stack check (a fault) in process; recursion that
    /// happens entirely inside framework or host code is the documented residue there. In the worker it kills only
    /// the worker.
    /// </summary>
    private static IEnumerable<HostileCase> Stack()
    {
        static HostileCase C(string name, string code, Residue inProcess = Residue.None) =>
            new("stack/" + name, Category.Stack, code, Outcome.Block) { InProcess = inProcess };

        yield return C("expression-lambda-recursion", "Func<int, int> f = null!; f = x => f(x + 1) + 1; return f(0);");
        yield return C("y-combinator", "Func<Func<Func<int, int>, Func<int, int>>, Func<int, int>> y = null!; y = f => x => f(y(f))(x); var loop = y(self => x => self(x + 1) + 1); return loop(0);");
        yield return C("static-recursion", "static int Deep(int n) => Deep(n + 1) + 1; return Deep(0);");
        yield return C("static-block-recursion", "static int Deep(int n) { return Deep(n + 1) + 1; } return Deep(0);");
        yield return C("mutual-expression-recursion", "int A(int n) => B(n + 1) + 1; int B(int n) => A(n + 1) + 1; return A(0);");
        yield return C("recursion-through-host-code", "int Go(int n) => Host.HostMath.Apply(Go, n + 1) + 1; return Go(0);");
        yield return C("recursion-through-a-host-object", "var relay = new Host.Relay(); int Go(int n) => relay.Call(Go, n + 1) + 1; return Go(0);");
        yield return C("recursion-through-framework-callbacks", "var a = new List<int> { 3, 1, 2 }; int Cmp(int x, int y) { a.Sort(Cmp); return 0; } a.Sort(Cmp); return a[0];");
        yield return C("stackalloc-100mb", "Span<byte> big = stackalloc byte[100_000_000]; big[0] = 1; return big[0];");
        yield return C("stackalloc-runtime-size", "var n = int.Parse(\"200000000\"); Span<byte> big = stackalloc byte[n]; big[^1] = 1; return big[^1];");
        yield return C("million-chained-selects", "IEnumerable<int> xs = new[] { 1 }; for (var i = 0; i < 1_000_000; i++) { xs = xs.Select(x => x + 1); } return xs.First();", Residue.StackOverflow);
        yield return C("million-chained-wheres", "IEnumerable<int> xs = new[] { 1 }; for (var i = 0; i < 1_000_000; i++) { xs = xs.Where(x => x > 0).Skip(0); } return xs.First();", Residue.StackOverflow);
        yield return C("record-equality-on-a-cycle", "var a = new Host.Node(\"a\"); a.Next = a; var b = new Host.Node(\"a\"); b.Next = b; return a == b ? 1 : 0;", Residue.StackOverflow);
        yield return C("record-hash-on-a-cycle", "var a = new Host.Node(\"a\"); a.Next = a; return a.GetHashCode();", Residue.StackOverflow);
        yield return C("record-tostring-on-a-cycle", "var a = new Host.Node(\"a\"); a.Next = a; return a.ToString().Length;", Residue.StackOverflow);
    }

    /// <summary>
    /// Recursion in fill code in a host whose GC heap is limited to 1 GB, as .NET limits it by itself in a container
    /// with about 1.3 GB of memory: the stack budget must hold there too (its own child, <see cref="Harness.ContainerChildHost"/>).
    /// </summary>
    private static IEnumerable<HostileCase> HeapLimitedStack()
    {
        static HostileCase C(string name, string code) => new("heap-limited/" + name, Category.HeapLimitedStack, code, Outcome.Block);

        yield return C("static-recursion", "static int Deep(int n) => Deep(n + 1) + 1; return Deep(0);");
        yield return C("expression-lambda-recursion", "Func<int, int> f = null!; f = x => f(x + 1) + 1; return f(0);");
        yield return C("recursion-through-host-code", "int Go(int n) => Host.HostMath.Apply(Go, n + 1) + 1; return Go(0);");
    }
}
