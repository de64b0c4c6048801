using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

public static partial class BenignCases
{
    /// <summary>LINQ, query syntax (from/let/join/group into), records, patterns, tuples, fully qualified names, typed results.</summary>
    private static IEnumerable<BenignCase> Collections()
    {
        static BenignCase B(string name, string code, string expected) => new("collections/" + name, BenignGroup.Collections, code, expected);

        yield return B("query-join-group", """
            var customers = new[] { (Id: 1, Name: "Ada"), (Id: 2, Name: "Bob") };
            var orders = new[] { (CustomerId: 1, Cents: 1000), (CustomerId: 2, Cents: 500), (CustomerId: 1, Cents: 750) };
            var q = from c in customers
                    join o in orders on c.Id equals o.CustomerId
                    group o by c.Name into g
                    orderby g.Key
                    select $"{g.Key}={g.Sum(x => x.Cents)}";
            return string.Join(",", q);
            """, "Ada=1750,Bob=500");
        yield return B("query-let-orderby", """var words = new[] { "apple", "kiwi", "banana", "fig" }; var q = from w in words let len = w.Length where len > 3 orderby len descending, w select $"{w}:{len}"; return string.Join(",", q);""", "banana:6,apple:5,kiwi:4");
        yield return B("query-group-into", """var q = from n in Enumerable.Range(1, 10) group n by n % 3 into g orderby g.Key select $"{g.Key}:[{string.Join(" ", g)}]"; return string.Join(";", q);""", "0:[3 6 9];1:[1 4 7 10];2:[2 5 8]");
        yield return B("query-join-into", """
            var depts = new[] { "eng", "ops", "hr" };
            var people = new[] { ("ann", "eng"), ("bo", "eng"), ("cy", "ops") };
            var q = from d in depts join p in people on d equals p.Item2 into staff select $"{d}={staff.Count()}";
            return string.Join(",", q);
            """, "eng=2,ops=1,hr=0");
        yield return B("query-range-variable-named-like-a-session-variable", """var q = from x in Enumerable.Range(1, 3) let y = x * 2 select y; return string.Join(",", q);""", "2,4,6")
            with { Setup = "var x = 100; var y = \"session\"; return 0;" };
        yield return B("query-pythagorean-triples", """var q = from a in Enumerable.Range(1, 20) from b in Enumerable.Range(a, 20 - a) let c = Math.Sqrt(a * a + b * b) where c == Math.Floor(c) && c <= 20 select $"{a}-{b}-{(int)c}"; return string.Join(",", q);""", "3-4-5,5-12-13,6-8-10,8-15-17,9-12-15,12-16-20");
        yield return B("query-over-handed-in-records", """var q = from o in orders group o by o.Name into g let units = g.Sum(o => o.Quantity) orderby units descending, g.Key select $"{g.Key}:{units}"; return string.Join(",", q);""", "pen:5,pad:2,ink:1")
            with { Values = "orders" };
        yield return B("linq-chain", """var xs = new[] { 5, 3, 8, 1, 9, 2 }; return string.Join(",", xs.Where(x => x % 2 == 1).OrderByDescending(x => x).Select(x => x * x));""", "81,25,9,1");
        yield return B("zip-sum", """var a = new[] { 1, 2, 3 }; var b = new[] { 4, 5, 6 }; return a.Zip(b, (x, y) => x * y).Sum().ToString();""", "32");
        yield return B("chunk", """return string.Join("|", Enumerable.Range(1, 7).Chunk(3).Select(c => string.Join(",", c)));""", "1,2,3|4,5,6|7");
        yield return B("maxby-distinctby", """var people = new[] { ("ann", 31), ("bob", 25), ("cat", 31) }; var oldest = people.MaxBy(p => p.Item2); return oldest.Item1 + people.DistinctBy(p => p.Item2).Count();""", "ann2");
        yield return B("dictionary-trygetvalue", """var stock = new Dictionary<string, int> { ["apple"] = 3, ["pear"] = 0 }; var wanted = new[] { "apple", "pear", "plum" }; return string.Join(",", wanted.Select(w => stock.TryGetValue(w, out var n) ? $"{w}:{n}" : $"{w}:none"));""", "apple:3,pear:0,plum:none");
        yield return B("record-with", """var p = new Host.Item("pen", 2, 1.5m); var q = p with { Quantity = 5 }; return $"{q.Name}:{q.Quantity}:{p == q}";""", "pen:5:False");
        yield return B("record-struct-set", """var set = new HashSet<Host.Point> { new(1, 2), new(1, 2), new(3, 4) }; return set.Count.ToString();""", "2");
        yield return B("switch-expression-patterns", """object?[] things = { 1, "two", 3.0, null, new[] { 1, 2 } }; return string.Join(",", things.Select(t => t switch { int i when i > 0 => "pos", string { Length: 3 } s => s, double => "dbl", int[] { Length: 2 } => "pair", null => "null", _ => "?" }));""", "pos,two,dbl,null,pair");
        yield return B("list-pattern", """int[] xs = { 1, 2, 3, 4 }; return xs switch { [1, .. var mid, 4] => string.Join("", mid), _ => "no" };""", "23");
        yield return B("relational-patterns", """string Grade(int score) => score switch { >= 90 => "A", >= 80 and < 90 => "B", >= 70 => "C", _ => "F" }; return string.Concat(new[] { 95, 85, 72, 10 }.Select(Grade));""", "ABCF");
        yield return B("tuple-swap", """var (min, max) = (new[] { 4, 9, 1 }.Min(), new[] { 4, 9, 1 }.Max()); (min, max) = (max, min); return $"{min}-{max}";""", "9-1");
        yield return B("tuple-returning-local-function", """(int Sum, int Count) Stats(IEnumerable<int> xs) => (xs.Sum(), xs.Count()); var s = Stats(new[] { 2, 4, 6 }); return $"{s.Sum}/{s.Count}";""", "12/3");
        yield return B("sorted-set", """var s = new SortedSet<int> { 5, 1, 3, 1 }; return string.Join(",", s) + "|" + s.Min + s.Max;""", "1,3,5|15");
        yield return B("stack-and-queue", """var st = new Stack<int>(new[] { 1, 2, 3 }); var q = new Queue<int>(new[] { 1, 2, 3 }); return $"{st.Pop()}{q.Dequeue()}";""", "31");
        yield return B("linked-list", """var l = new LinkedList<string>(); l.AddLast("b"); l.AddFirst("a"); l.AddLast("c"); l.Remove("b"); return string.Join("", l);""", "ac");
        yield return B("fully-qualified-generic-collections", """var d = new System.Collections.Generic.Dictionary<string, System.Collections.Generic.List<int>>(); d["a"] = new System.Collections.Generic.List<int> { 1, 2 }; return System.Linq.Enumerable.Sum(d["a"]).ToString();""", "3");
        yield return B("global-qualified-names", """var sb = new global::System.Text.StringBuilder(); sb.Append(global::System.Math.Max(3, 7)); return sb.ToString();""", "7");
        yield return B("immutable-and-frozen", """var a = System.Collections.Immutable.ImmutableArray.Create(1, 2, 3).Add(4); var f = System.Collections.Frozen.FrozenDictionary.ToFrozenDictionary(new Dictionary<string, int> { ["x"] = 1 }); return $"{a.Length}{f["x"]}";""", "41");
        yield return B("lookup", """var lk = new[] { "ant", "bee", "ape" }.ToLookup(w => w[0]); return $"{lk['a'].Count()}{lk['z'].Count()}";""", "20");
        yield return B("sequence-equal", """return Enumerable.Range(0, 5).Select(i => i * i).SequenceEqual(new[] { 0, 1, 4, 9, 16 }).ToString();""", "True");
        yield return B("selectmany-flatten", """var m = new[] { new[] { 1, 2 }, new[] { 3 }, Array.Empty<int>() }; return string.Join(",", m.SelectMany(x => x));""", "1,2,3");
        yield return B("orderby-thenby-records", """var items = new List<Host.Item> { new("b", 2, 1m), new("a", 2, 3m), new("c", 1, 2m) }; return string.Join(",", items.OrderBy(i => i.Quantity).ThenBy(i => i.Name, StringComparer.Ordinal).Select(i => i.Name));""", "c,a,b");
        yield return B("index-and-range", """var xs = new List<int> { 1, 2, 3, 4, 5 }; return $"{xs[^1]}{string.Join("", xs.ToArray()[1..^1])}";""", "5234");
        yield return B("anonymous-types-groupby", """var sales = new[] { new { Region = "N", Amount = 10 }, new { Region = "S", Amount = 5 }, new { Region = "N", Amount = 7 } }; return string.Join(",", sales.GroupBy(s => s.Region).Select(g => new { g.Key, Total = g.Sum(s => s.Amount) }).OrderBy(x => x.Key).Select(x => $"{x.Key}{x.Total}"));""", "N17,S5");
        yield return B("tuple-keys", """var grid = new Dictionary<(int, int), char> { [(0, 0)] = 'a', [(1, 2)] = 'b' }; return grid[(1, 2)].ToString() + grid.ContainsKey((2, 1));""", "bFalse");
        yield return B("handed-in-list-sorted", """return xs.OrderBy(x => x).ToList();""", "[1, 2, 3, 5, 8, 9]") with { Type = "list", Values = "xs" };
        yield return B("word-counts-dictionary", """return words.GroupBy(w => w).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());""", "{alpha=2, bravo=1, charlie=1, delta=1}")
            with { Type = "dict", Values = "words" };
        yield return B("record-result", """var best = orders.OrderByDescending(o => o.Quantity * o.Price).First(); return best with { Quantity = best.Quantity * 2 };""", "Item(pad, 4, 4.25)") with { Type = "item", Values = "orders" };
        yield return B("records-list-result", """return orders.GroupBy(o => o.Name).Select(g => new Host.Item(g.Key, g.Sum(o => o.Quantity), g.First().Price)).OrderBy(i => i.Name, StringComparer.Ordinal).ToList();""", "[Item(ink, 1, 7), Item(pad, 2, 4.25), Item(pen, 5, 1.5)]")
            with { Type = "items", Values = "orders" };
        yield return B("tuple-result", """var longest = words.MaxBy(w => w.Length)!; return (longest.Length, longest);""", "(7, charlie)") with { Type = "tuple", Values = "words" };
        yield return B("struct-record-result", """var pts = new[] { new Host.Point(1, 5), new Host.Point(3, 2), new Host.Point(-1, 4) }; return new Host.Point(pts.Max(p => p.X), pts.Min(p => p.Y));""", "Point { X = 3, Y = 2 }") with { Type = "point" };
        yield return B("array-result", """return matrix.Select(row => row.Sum()).ToArray();""", "[6, 15, 24]") with { Type = "array", Values = "matrix" };
        yield return B("strings-result", """return words.Distinct().Order(StringComparer.Ordinal).Select(w => w.ToUpperInvariant()).ToList();""", "[ALPHA, BRAVO, CHARLIE, DELTA]") with { Type = "strings", Values = "words" };
        yield return B("bool-result", """return xs.Count > 3 && xs.Any(x => x > 8);""", "True") with { Type = "bool", Values = "xs" };
        yield return B("declares-and-reuses-variables", """var seen = new HashSet<int>(xs); var missing = Enumerable.Range(1, 9).Where(i => !seen.Contains(i)).ToList(); return string.Join(",", missing);""", "4,6,7") with { Values = "xs" };
    }
}
