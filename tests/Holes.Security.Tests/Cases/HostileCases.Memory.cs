using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

public static partial class HostileCases
{
    /// <summary>
    /// Memory bombs. The worker stops at its heap limit and is replaced. In process (whose child runs under a 1 GB heap
    /// limit, as a host in a container does) a single huge allocation fails at once; a bomb that grows is the documented
    /// residue (memory is not limited in process), marked <see cref="Residue.Memory"/>.
    /// </summary>
    private static IEnumerable<HostileCase> Memory()
    {
        static HostileCase C(string name, string code) => new("memory/" + name, Category.Memory, code, Outcome.Block) { WorkerMemoryMegabytes = 256 };
        static HostileCase Growing(string name, string code) => C(name, code) with { InProcess = Residue.Memory };

        yield return Growing("hoard-megabyte-arrays", "var hoard = new List<byte[]>(); while (true) { hoard.Add(new byte[1 << 20]); hoard[^1][0] = 1; }");
        yield return C("one-huge-array", "var a = new long[int.MaxValue / 2]; a[^1] = 1; return (int)a[^1];");
        yield return Growing("string-doubling", "var s = \"x\"; while (true) { s += s; }");
        yield return Growing("stringbuilder-growth", "var sb = new StringBuilder(); while (true) { sb.Append('x', 1 << 20); }");
        yield return Growing("dictionary-growth", "var d = new Dictionary<int, int[]>(); for (var i = 0; ; i++) { d[i] = new int[4096]; }");
        yield return C("range-to-array", "return Enumerable.Range(0, int.MaxValue).ToArray().Length;");
        yield return Growing("concat-repeat", "return string.Concat(Enumerable.Repeat(\"abcdefgh\", 400_000_000)).Length;");
        yield return C("new-string-max", "return new string('x', int.MaxValue).Length;");
        yield return Growing("nested-object-chain", "object o = 0; for (var i = 0; i < 500_000_000; i++) { o = new object[] { o, new byte[64] }; } return o.GetHashCode();");
        yield return Growing("distinct-huge", "return Enumerable.Range(0, int.MaxValue).Select(x => (long)x * 7).Distinct().Count();");
    }
}
