using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

public static partial class BenignCases
{
    /// <summary>Sorting and searching, dynamic programming, graphs (BFS, DFS, Dijkstra, union-find), priority queues, bit tricks.</summary>
    private static IEnumerable<BenignCase> Algorithms()
    {
        static BenignCase B(string name, string code, string expected) => new("algorithms/" + name, BenignGroup.Algorithms, code, expected);

        yield return B("binary-search", """var xs = new[] { 1, 3, 5, 7, 9, 11 }; int Find(int t) { int lo = 0, hi = xs.Length - 1; while (lo <= hi) { var mid = (lo + hi) / 2; if (xs[mid] == t) return mid; if (xs[mid] < t) lo = mid + 1; else hi = mid - 1; } return -1; } return $"{Find(7)},{Find(4)},{Array.BinarySearch(xs, 9)}";""", "3,-1,4");
        yield return B("quicksort-functional", """List<int> QuickSort(List<int> xs) => xs.Count <= 1 ? xs : QuickSort(xs.Skip(1).Where(x => x < xs[0]).ToList()).Append(xs[0]).Concat(QuickSort(xs.Skip(1).Where(x => x >= xs[0]).ToList())).ToList(); return string.Join(",", QuickSort(new List<int> { 5, 3, 8, 1, 9, 2, 5 }));""", "1,2,3,5,5,8,9");
        yield return B("merge-sort", """
            int[] MergeSort(int[] a)
            {
                if (a.Length <= 1) return a;
                var mid = a.Length / 2;
                var l = MergeSort(a[..mid]);
                var r = MergeSort(a[mid..]);
                var res = new int[a.Length];
                int i = 0, j = 0, k = 0;
                while (i < l.Length && j < r.Length) res[k++] = l[i] <= r[j] ? l[i++] : r[j++];
                while (i < l.Length) res[k++] = l[i++];
                while (j < r.Length) res[k++] = r[j++];
                return res;
            }
            return string.Join(",", MergeSort(new[] { 38, 27, 43, 3, 9, 82, 10 }));
            """, "3,9,10,27,38,43,82");
        yield return B("insertion-sort-span", """Span<int> a = stackalloc int[] { 4, 2, 7, 1 }; for (var i = 1; i < a.Length; i++) { var key = a[i]; var j = i - 1; while (j >= 0 && a[j] > key) { a[j + 1] = a[j]; j--; } a[j + 1] = key; } return string.Join(",", a.ToArray());""", "1,2,4,7");
        yield return B("in-place-heapsort", """
            var a = new[] { 12, 11, 13, 5, 6, 7 };
            void Sift(int n, int i) { var largest = i; var l = 2 * i + 1; var r = 2 * i + 2; if (l < n && a[l] > a[largest]) largest = l; if (r < n && a[r] > a[largest]) largest = r; if (largest != i) { (a[i], a[largest]) = (a[largest], a[i]); Sift(n, largest); } }
            for (var i = a.Length / 2 - 1; i >= 0; i--) Sift(a.Length, i);
            for (var end = a.Length - 1; end > 0; end--) { (a[0], a[end]) = (a[end], a[0]); Sift(end, 0); }
            return string.Join(",", a);
            """, "5,6,7,11,12,13");
        yield return B("priority-queue", """var pq = new PriorityQueue<string, int>(); pq.Enqueue("low", 5); pq.Enqueue("high", 1); pq.Enqueue("mid", 3); var order = new List<string>(); while (pq.TryDequeue(out var item, out _)) { order.Add(item); } return string.Join(",", order);""", "high,mid,low");
        yield return B("dijkstra", """
            var graph = new Dictionary<char, List<(char To, int W)>> { ['A'] = new() { ('B', 4), ('C', 1) }, ['B'] = new() { ('D', 1) }, ['C'] = new() { ('B', 2), ('D', 5) }, ['D'] = new() };
            var dist = graph.Keys.ToDictionary(k => k, _ => int.MaxValue);
            dist['A'] = 0;
            var pq = new PriorityQueue<char, int>();
            pq.Enqueue('A', 0);
            while (pq.TryDequeue(out var u, out var d))
            {
                if (d > dist[u]) continue;
                foreach (var (to, w) in graph[u])
                {
                    if (d + w < dist[to]) { dist[to] = d + w; pq.Enqueue(to, dist[to]); }
                }
            }
            return string.Join(",", dist.OrderBy(p => p.Key).Select(p => $"{p.Key}{p.Value}"));
            """, "A0,B3,C1,D4");
        yield return B("bfs-grid", """
            var grid = new[] { "S.#", "..#", "#.E" };
            var q = new Queue<((int R, int C) P, int D)>();
            q.Enqueue(((0, 0), 0));
            var seen = new HashSet<(int, int)> { (0, 0) };
            while (q.Count > 0)
            {
                var ((r, c), d) = q.Dequeue();
                if (grid[r][c] == 'E') return d.ToString();
                foreach (var (dr, dc) in new[] { (1, 0), (-1, 0), (0, 1), (0, -1) })
                {
                    var nr = r + dr; var nc = c + dc;
                    if (nr < 0 || nc < 0 || nr >= 3 || nc >= 3 || grid[nr][nc] == '#' || !seen.Add((nr, nc))) continue;
                    q.Enqueue(((nr, nc), d + 1));
                }
            }
            return "-1";
            """, "4");
        yield return B("bfs-handed-in-graph", """var dist = new Dictionary<string, int> { ["a"] = 0 }; var q = new Queue<string>(); q.Enqueue("a"); while (q.Count > 0) { var u = q.Dequeue(); foreach (var v in graph[u]) { if (dist.TryAdd(v, dist[u] + 1)) q.Enqueue(v); } } return string.Join(",", dist.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}{p.Value}"));""", "a0,b1,c1,d2,e2,f3")
            with { Values = "graph" };
        yield return B("dfs-topological-sort", """
            var deps = new Dictionary<string, string[]> { ["app"] = new[] { "lib", "log" }, ["lib"] = new[] { "core" }, ["log"] = new[] { "core" }, ["core"] = Array.Empty<string>() };
            var order = new List<string>();
            var visited = new HashSet<string>();
            void Visit(string n) { if (!visited.Add(n)) return; foreach (var d in deps[n]) Visit(d); order.Add(n); }
            foreach (var n in deps.Keys.OrderBy(k => k, StringComparer.Ordinal)) Visit(n);
            return string.Join(",", order);
            """, "core,lib,log,app");
        yield return B("kahn-topological-sort", """var indeg = graph.Keys.ToDictionary(k => k, _ => 0); foreach (var vs in graph.Values) foreach (var v in vs) indeg[v]++; var ready = new SortedSet<string>(indeg.Where(p => p.Value == 0).Select(p => p.Key), StringComparer.Ordinal); var order = new List<string>(); while (ready.Count > 0) { var u = ready.Min!; ready.Remove(u); order.Add(u); foreach (var v in graph[u]) if (--indeg[v] == 0) ready.Add(v); } return string.Concat(order);""", "abcdef")
            with { Values = "graph" };
        yield return B("union-find", """var parent = Enumerable.Range(0, 6).ToArray(); int Find(int x) => parent[x] == x ? x : parent[x] = Find(parent[x]); void Union(int a, int b) => parent[Find(a)] = Find(b); Union(0, 1); Union(1, 2); Union(3, 4); return Enumerable.Range(0, 6).Select(Find).Distinct().Count().ToString();""", "3");
        yield return B("cycle-detection", """var g = new Dictionary<int, int[]> { [1] = new[] { 2 }, [2] = new[] { 3 }, [3] = new[] { 1 }, [4] = new int[0] }; var state = new Dictionary<int, int>(); bool HasCycle(int n) { state[n] = 1; foreach (var m in g[n]) { var s = state.GetValueOrDefault(m); if (s == 1 || (s == 0 && HasCycle(m))) return true; } state[n] = 2; return false; } return g.Keys.Any(k => state.GetValueOrDefault(k) == 0 && HasCycle(k)).ToString();""", "True");
        yield return B("lcs", """string a = "ABCBDAB", b = "BDCABA"; var dp = new int[a.Length + 1, b.Length + 1]; for (var i = 1; i <= a.Length; i++) for (var j = 1; j <= b.Length; j++) dp[i, j] = a[i - 1] == b[j - 1] ? dp[i - 1, j - 1] + 1 : Math.Max(dp[i - 1, j], dp[i, j - 1]); return dp[a.Length, b.Length].ToString();""", "4");
        yield return B("levenshtein", """int Lev(string s, string t) { var d = new int[s.Length + 1, t.Length + 1]; for (var i = 0; i <= s.Length; i++) d[i, 0] = i; for (var j = 0; j <= t.Length; j++) d[0, j] = j; for (var i = 1; i <= s.Length; i++) for (var j = 1; j <= t.Length; j++) d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (s[i - 1] == t[j - 1] ? 0 : 1)); return d[s.Length, t.Length]; } return $"{Lev("kitten", "sitting")}{Lev("", "abc")}{Lev("same", "same")}";""", "330");
        yield return B("knapsack", """int[] w = { 1, 3, 4, 5 }, v = { 1, 4, 5, 7 }; var best = new int[8]; for (var i = 0; i < w.Length; i++) for (var c = 7; c >= w[i]; c--) best[c] = Math.Max(best[c], best[c - w[i]] + v[i]); return best[7].ToString();""", "9");
        yield return B("coin-change-min", """int[] coins = { 1, 5, 10, 25 }; var dp = Enumerable.Repeat(int.MaxValue, 64).ToArray(); dp[0] = 0; for (var a = 1; a <= 63; a++) foreach (var c in coins) if (c <= a && dp[a - c] != int.MaxValue) dp[a] = Math.Min(dp[a], dp[a - c] + 1); return dp[63].ToString();""", "6");
        yield return B("coin-change-ways", """var ways = new long[11]; ways[0] = 1; foreach (var c in new[] { 1, 2, 5 }) for (var a = c; a <= 10; a++) ways[a] += ways[a - c]; return ways[10].ToString();""", "10");
        yield return B("longest-increasing-subsequence", """var xs = new[] { 10, 9, 2, 5, 3, 7, 101, 18 }; var tails = new List<int>(); foreach (var x in xs) { var i = tails.BinarySearch(x); if (i < 0) i = ~i; if (i == tails.Count) tails.Add(x); else tails[i] = x; } return tails.Count.ToString();""", "4");
        yield return B("kadane", """var xs = new[] { -2, 1, -3, 4, -1, 2, 1, -5, 4 }; int best = xs[0], cur = xs[0]; foreach (var x in xs.Skip(1)) { cur = Math.Max(x, cur + x); best = Math.Max(best, cur); } return best.ToString();""", "6");
        yield return B("memoized-fibonacci", """var memo = new Dictionary<int, long>(); long Fib(int n) => n < 2 ? n : memo.TryGetValue(n, out var v) ? v : memo[n] = Fib(n - 1) + Fib(n - 2); return Fib(90).ToString();""", "2880067194370816120");
        yield return B("climbing-stairs", """var (a, b) = (1, 1); for (var i = 2; i <= 10; i++) (a, b) = (b, a + b); return b.ToString();""", "89");
        yield return B("min-path-sum", """int[][] g = { new[] { 1, 3, 1 }, new[] { 1, 5, 1 }, new[] { 4, 2, 1 } }; for (var i = 0; i < 3; i++) for (var j = 0; j < 3; j++) { if (i == 0 && j == 0) continue; g[i][j] += Math.Min(i > 0 ? g[i - 1][j] : int.MaxValue, j > 0 ? g[i][j - 1] : int.MaxValue); } return g[2][2].ToString();""", "7");
        yield return B("bit-manipulation", """int CountBits(int x) { var c = 0; while (x != 0) { x &= x - 1; c++; } return c; } return $"{CountBits(0b1011_0110)}{5 ^ 3}{1 << 4}{-8 >> 1}{0xF0 & 0x3C:X}";""", "5616-430");
        yield return B("xor-single-number", """return new[] { 4, 1, 2, 1, 2 }.Aggregate(0, (a, b) => a ^ b).ToString();""", "4");
        yield return B("gray-code", """return string.Join(",", Enumerable.Range(0, 8).Select(i => i ^ (i >> 1)));""", "0,1,3,2,6,7,5,4");
        yield return B("power-set-bitmask", """var items = new[] { "a", "b", "c" }; var subsets = Enumerable.Range(0, 1 << items.Length).Select(m => string.Concat(items.Where((_, i) => (m & (1 << i)) != 0))); return string.Join(",", subsets);""", ",a,b,ab,c,ac,bc,abc");
        yield return B("permutations", """IEnumerable<string> Perms(string s) => s.Length <= 1 ? new[] { s } : s.SelectMany((c, i) => Perms(s.Remove(i, 1)).Select(p => c + p)); return string.Join(",", Perms("abc"));""", "abc,acb,bac,bca,cab,cba");
        yield return B("n-queens", """int Solve(int n, int row, int cols, int d1, int d2) { if (row == n) return 1; var count = 0; for (var c = 0; c < n; c++) { if ((cols & (1 << c)) != 0 || (d1 & (1 << (row + c))) != 0 || (d2 & (1 << (row - c + n))) != 0) continue; count += Solve(n, row + 1, cols | (1 << c), d1 | (1 << (row + c)), d2 | (1 << (row - c + n))); } return count; } return Solve(6, 0, 0, 0, 0).ToString();""", "4");
        yield return B("sieve", """var n = 50; var composite = new bool[n]; var primes = new List<int>(); for (var i = 2; i < n; i++) { if (composite[i]) continue; primes.Add(i); for (var j = i * i; j < n; j += i) composite[j] = true; } return $"{primes.Count}:{primes.Sum()}";""", "15:328");
        yield return B("two-sum", """var nums = new[] { 2, 7, 11, 15 }; var target = 9; var seen = new Dictionary<int, int>(); for (var i = 0; i < nums.Length; i++) { if (seen.TryGetValue(target - nums[i], out var j)) return $"{j},{i}"; seen[nums[i]] = i; } return "none";""", "0,1");
        yield return B("sliding-window", """var xs = new[] { 1, 4, 2, 10, 23, 3, 1, 0, 20 }; var k = 3; var window = xs.Take(k).Sum(); var best = window; for (var i = k; i < xs.Length; i++) { window += xs[i] - xs[i - k]; best = Math.Max(best, window); } return best.ToString();""", "36");
        yield return B("spiral-order", """
            var m = new int[3, 3]; var v = 1;
            for (var i = 0; i < 3; i++) for (var j = 0; j < 3; j++) m[i, j] = v++;
            var res = new List<int>(); int top = 0, bottom = 2, left = 0, right = 2;
            while (top <= bottom && left <= right)
            {
                for (var j = left; j <= right; j++) res.Add(m[top, j]);
                top++;
                for (var i = top; i <= bottom; i++) res.Add(m[i, right]);
                right--;
                if (top <= bottom) { for (var j = right; j >= left; j--) res.Add(m[bottom, j]); bottom--; }
                if (left <= right) { for (var i = bottom; i >= top; i--) res.Add(m[i, left]); left++; }
            }
            return string.Join(",", res);
            """, "1,2,3,6,9,8,7,4,5");
        yield return B("balanced-brackets", """bool Balanced(string s) { var st = new Stack<char>(); foreach (var c in s) { if ("([{".Contains(c)) st.Push(c); else if (")]}".Contains(c)) { if (st.Count == 0) return false; var o = st.Pop(); if ("([{".IndexOf(o) != ")]}".IndexOf(c)) return false; } } return st.Count == 0; } return string.Join(",", new[] { "([]{})", "([)]", "((" }.Select(Balanced));""", "True,False,False");
        yield return B("rpn-evaluator", """var st = new Stack<int>(); foreach (var t in "3 4 + 2 * 7 -".Split(' ')) { if (int.TryParse(t, out var n)) { st.Push(n); continue; } var b = st.Pop(); var a = st.Pop(); st.Push(t switch { "+" => a + b, "-" => a - b, "*" => a * b, "/" => a / b, _ => throw new InvalidOperationException(t) }); } return st.Pop().ToString();""", "7");
        yield return B("roman-numerals", """var map = new[] { (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I") }; var n = 1994; var sb = new StringBuilder(); foreach (var (value, numeral) in map) { while (n >= value) { sb.Append(numeral); n -= value; } } return sb.ToString();""", "MCMXCIV");
        yield return B("base-conversion", """return Convert.ToString(255, 2) + "|" + Convert.ToInt32("777", 8);""", "11111111|511");
        yield return B("merge-intervals", """var intervals = new List<(int S, int E)> { (8, 10), (1, 3), (15, 18), (2, 6) }; var merged = new List<(int S, int E)>(); foreach (var iv in intervals.OrderBy(i => i.S)) { if (merged.Count > 0 && iv.S <= merged[^1].E) merged[^1] = (merged[^1].S, Math.Max(merged[^1].E, iv.E)); else merged.Add(iv); } return string.Join(",", merged.Select(m => $"[{m.S},{m.E}]"));""", "[1,6],[8,10],[15,18]");
        yield return B("lru-cache", """
            var capacity = 2;
            var order = new LinkedList<int>();
            var map = new Dictionary<int, (int Value, LinkedListNode<int> Node)>();
            int Get(int key) { if (!map.TryGetValue(key, out var e)) return -1; order.Remove(e.Node); order.AddFirst(e.Node); return e.Value; }
            void Put(int key, int value)
            {
                if (map.TryGetValue(key, out var e)) { order.Remove(e.Node); map.Remove(key); }
                else if (map.Count == capacity) { var last = order.Last!; order.RemoveLast(); map.Remove(last.Value); }
                map[key] = (value, order.AddFirst(key));
            }
            var results = new List<int>();
            Put(1, 1); Put(2, 2); results.Add(Get(1)); Put(3, 3); results.Add(Get(2)); Put(4, 4); results.Add(Get(1)); results.Add(Get(3)); results.Add(Get(4));
            return string.Join(",", results);
            """, "1,-1,-1,3,4");
        yield return B("substring-occurrences", """var text = "abababa"; var pat = "aba"; var hits = new List<int>(); for (var i = text.IndexOf(pat, StringComparison.Ordinal); i >= 0; i = text.IndexOf(pat, i + 1, StringComparison.Ordinal)) { hits.Add(i); } return string.Join(",", hits);""", "0,2,4");
        yield return B("prefix-counts", """var words = new[] { "apple", "app", "apt", "bat" }; var counts = new Dictionary<string, int>(); foreach (var w in words) { for (var i = 1; i <= w.Length; i++) { counts[w[..i]] = counts.GetValueOrDefault(w[..i]) + 1; } } return $"{counts["ap"]}{counts["app"]}{counts.GetValueOrDefault("c")}";""", "320");
        yield return B("lcm-range", """long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b); return Enumerable.Range(1, 20).Aggregate(1L, (acc, x) => acc / Gcd(acc, x) * x).ToString();""", "232792560");
        yield return B("game-of-life-step", """
            var cells = new HashSet<(int, int)> { (1, 0), (1, 1), (1, 2) };
            var counts = cells.SelectMany(c => from dx in new[] { -1, 0, 1 } from dy in new[] { -1, 0, 1 } where dx != 0 || dy != 0 select (c.Item1 + dx, c.Item2 + dy)).GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count());
            var next = counts.Where(p => p.Value == 3 || (p.Value == 2 && cells.Contains(p.Key))).Select(p => p.Key).OrderBy(p => p).ToList();
            return string.Join(";", next);
            """, "(0, 1);(1, 1);(2, 1)");
    }
}
