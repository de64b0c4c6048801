using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

public static partial class HostileCases
{
    /// <summary>
    /// Memory bombs. The worker stops at its heap limit and is replaced; in process the fill fails with
    /// OutOfMemoryException (the child process runs with a heap limit of its own, as a host should) or runs out of time.
    /// </summary>
    private static IEnumerable<HostileCase> Memory()
    {
        static HostileCase C(string name, string code) => new("memory/" + name, Category.Memory, code, Outcome.Block) { WorkerMemoryMegabytes = 256 };

        yield return C("hoard-megabyte-arrays", "var hoard = new List<byte[]>(); while (true) { hoard.Add(new byte[1 << 20]); hoard[^1][0] = 1; }");
        yield return C("one-huge-array", "var a = new long[int.MaxValue / 2]; a[^1] = 1; return (int)a[^1];");
        yield return C("string-doubling", "var s = \"x\"; while (true) { s += s; }");
        yield return C("stringbuilder-growth", "var sb = new StringBuilder(); while (true) { sb.Append('x', 1 << 20); }");
        yield return C("dictionary-growth", "var d = new Dictionary<int, int[]>(); for (var i = 0; ; i++) { d[i] = new int[4096]; }");
        yield return C("range-to-array", "return Enumerable.Range(0, int.MaxValue).ToArray().Length;");
        yield return C("concat-repeat", "return string.Concat(Enumerable.Repeat(\"abcdefgh\", 400_000_000)).Length;");
        yield return C("new-string-max", "return new string('x', int.MaxValue).Length;");
        yield return C("nested-object-chain", "object o = 0; for (var i = 0; i < 500_000_000; i++) { o = new object[] { o, new byte[64] }; } return o.GetHashCode();");
        yield return C("distinct-huge", "return Enumerable.Range(0, int.MaxValue).Select(x => (long)x * 7).Distinct().Count();");
    }
}
