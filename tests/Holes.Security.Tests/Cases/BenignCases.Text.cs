using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

public static partial class BenignCases
{
    /// <summary>Strings, spans (top-level span locals, stackalloc), StringBuilder, parsing and formatting.</summary>
    private static IEnumerable<BenignCase> Text()
    {
        static BenignCase B(string name, string code, string expected) => new("text/" + name, BenignGroup.Text, code, expected);

        yield return B("span-split-sum", """ReadOnlySpan<char> s = "12,34,56"; var sum = 0; foreach (var part in s.Split(',')) { sum += int.Parse(s[part]); } return sum.ToString();""", "102");
        yield return B("span-slice-trim", """ReadOnlySpan<char> line = "  key = value  "; var eq = line.IndexOf('='); var key = line[..eq].Trim().ToString(); var value = line[(eq + 1)..].Trim().ToString(); return key + ":" + value;""", "key:value");
        yield return B("stackalloc-letter-counts", """Span<int> counts = stackalloc int[26]; foreach (var c in "hello world") { if (char.IsLetter(c)) counts[c - 'a']++; } var best = 0; for (var i = 1; i < 26; i++) { if (counts[i] > counts[best]) best = i; } return ((char)('a' + best)).ToString() + counts[best];""", "l3");
        yield return B("span-reverse", """var chars = "hello world".ToCharArray(); chars.AsSpan().Reverse(); return new string(chars);""", "dlrow olleh");
        yield return B("tryparse-trimmed-spans", """var text = "10\n20\nx\n 30 "; var total = 0; foreach (var line in text.Split('\n')) { if (int.TryParse(line.AsSpan().Trim(), out var n)) total += n; } return total.ToString();""", "60");
        yield return B("span-route-parse", """ReadOnlySpan<char> path = "/api/v1/users/42"; var ok = path.StartsWith("/api/"); var id = path[(path.LastIndexOf('/') + 1)..]; return $"{ok}:{int.Parse(id) * 2}";""", "True:84");
        yield return B("utf8-literal-length", """ReadOnlySpan<byte> bytes = "héllo"u8; return bytes.Length.ToString();""", "6");
        yield return B("string-create", """return string.Create(5, 'a', (span, c) => { for (var i = 0; i < span.Length; i++) { span[i] = (char)(c + i); } });""", "abcde");
        yield return B("stackalloc-sort", """Span<int> xs = stackalloc int[] { 5, 2, 9, 1 }; xs.Sort(); return string.Join(",", xs.ToArray());""", "1,2,5,9");
        yield return B("span-palindromes", """static bool IsPal(ReadOnlySpan<char> s) { for (int i = 0, j = s.Length - 1; i < j; i++, j--) { if (s[i] != s[j]) return false; } return true; } return string.Join(",", new[] { "racecar", "hello", "abba" }.Select(w => IsPal(w)));""", "True,False,True");
        yield return B("stringbuilder-edits", """var sb = new StringBuilder("hello"); sb.Insert(0, ">> ").Append('!').Replace('l', 'L'); return sb.ToString();""", ">> heLLo!");
        yield return B("split-options", """var parts = " a, b ,,c ".Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); return string.Join("|", parts);""", "a|b|c");
        yield return B("char-frequencies", """var freq = new Dictionary<char, int>(); foreach (var c in "mississippi") { freq[c] = freq.GetValueOrDefault(c) + 1; } return string.Join(",", freq.OrderBy(p => p.Key).Select(p => $"{p.Key}{p.Value}"));""", "i4,m1,p2,s4");
        yield return B("caesar-cipher", """return new string("Hello, World!".Select(c => char.IsLetter(c) ? (char)((char.IsUpper(c) ? 'A' : 'a') + (c - (char.IsUpper(c) ? 'A' : 'a') + 3) % 26) : c).ToArray());""", "Khoor, Zruog!");
        yield return B("title-case", """var words = "the quick brown fox".Split(' '); return string.Join(" ", words.Select(w => char.ToUpperInvariant(w[0]) + w[1..]));""", "The Quick Brown Fox");
        yield return B("run-length-encoding", """var s = "aaabccdddd"; var sb = new StringBuilder(); for (var i = 0; i < s.Length;) { var j = i; while (j < s.Length && s[j] == s[i]) j++; sb.Append(s[i]).Append(j - i); i = j; } return sb.ToString();""", "a3b1c2d4");
        yield return B("anagram-groups", """var words = new[] { "eat", "tea", "tan", "ate", "nat", "bat" }; var groups = words.GroupBy(w => new string(w.OrderBy(c => c).ToArray())).Select(g => string.Join("/", g)).OrderBy(x => x, StringComparer.Ordinal); return string.Join(";", groups);""", "bat;eat/tea/ate;tan/nat");
        yield return B("longest-common-prefix", """var xs = new[] { "flower", "flow", "flight" }; var prefix = xs[0]; foreach (var x in xs) { while (!x.StartsWith(prefix, StringComparison.Ordinal)) prefix = prefix[..^1]; } return prefix;""", "fl");
        yield return B("vowels-in-span", """ReadOnlySpan<char> text = "Programming in C#"; var count = 0; foreach (var c in text) { if ("aeiouAEIOU".Contains(c)) count++; } return count.ToString();""", "4");
        yield return B("searchvalues", """var vowels = System.Buffers.SearchValues.Create("aeiou"); return "rhythm and blues".AsSpan().IndexOfAny(vowels).ToString();""", "7");
        yield return B("reverse-with-concat", """return string.Concat("stressed".Reverse());""", "desserts");
        yield return B("hex-parse", """return int.Parse("ff", System.Globalization.NumberStyles.HexNumber).ToString();""", "255");
        yield return B("invariant-format", """return string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0:N2}|{1:X4}|{2,5}|{3:P0}", 1234.5, 255, "ab", 0.25);""", "1,234.50|00FF|   ab|25 %");
        yield return B("ordinal-ignore-case-sort", """var xs = new List<string> { "banana", "Apple", "cherry" }; xs.Sort(StringComparer.OrdinalIgnoreCase); return string.Join(",", xs);""", "Apple,banana,cherry");
        yield return B("span-count", """ReadOnlySpan<char> dna = "GATTACA"; return dna.Count('A').ToString();""", "3");
        yield return B("word-frequency-top", """var text = "the cat and the hat and the bat"; var top = text.Split(' ').GroupBy(w => w).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(2).Select(g => $"{g.Key}={g.Count()}"); return string.Join(",", top);""", "the=3,and=2");
        yield return B("slugify", """var title = "  Hello, World: C# Tips & Tricks!  "; var sb = new StringBuilder(); foreach (var c in title.Trim().ToLowerInvariant()) { if (char.IsLetterOrDigit(c)) sb.Append(c); else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-'); } return sb.ToString().TrimEnd('-');""", "hello-world-c-tips-tricks");
        yield return B("log-errors", """var errors = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains(" ERROR ")).Select(l => l[20..]).Distinct(); return string.Join(";", errors);""", "ERROR db timeout") with { Values = "log" };
        yield return B("log-levels-by-count", """var counts = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[2]).GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count()); return $"{counts["INFO"]}/{counts["WARN"]}/{counts["ERROR"]}";""", "2/1/2") with { Values = "log" };
        yield return B("interpolated-alignment", """var rows = new[] { ("pen", 3), ("notebook", 12) }; return string.Join("|", rows.Select(r => $"{r.Item1,-8}{r.Item2,3}"));""", "pen       3|notebook 12");
        yield return B("raw-string-literal", """"var json = """{"a": 1}"""; return json.Replace(" ", "");"""", "{\"a\":1}");
        yield return B("char-span-to-upper", """Span<char> buffer = stackalloc char[5]; "hello".AsSpan().ToUpperInvariant(buffer); return buffer.ToString();""", "HELLO");
    }
}
