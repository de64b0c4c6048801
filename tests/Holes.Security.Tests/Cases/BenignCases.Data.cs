using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

public static partial class BenignCases
{
    /// <summary>
    /// Data wrangling: JSON (serializer, JsonNode, JsonDocument, Utf8JsonWriter/Reader), in-memory readers, writers and
    /// streams, CSV, XML, Regex with a timeout or NonBacktracking, WebUtility, Uri, IPAddress, hashes, Base64, Buffer.
    /// </summary>
    private static IEnumerable<BenignCase> Data()
    {
        static BenignCase B(string name, string code, string expected) => new("data/" + name, BenignGroup.Data, code, expected);

        yield return B("json-serialize-anonymous", """return System.Text.Json.JsonSerializer.Serialize(new { name = "Ada", age = 36, tags = new[] { "math" } });""", """{"name":"Ada","age":36,"tags":["math"]}""");
        yield return B("json-deserialize-dictionary", """var d = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>("{\"a\":1,\"b\":2}")!; return d.Values.Sum().ToString();""", "3");
        yield return B("json-deserialize-record", """var item = System.Text.Json.JsonSerializer.Deserialize<Host.Item>("{\"Name\":\"pen\",\"Quantity\":2,\"Price\":1.25}")!; return $"{item.Name}x{item.Quantity}";""", "penx2");
        yield return B("json-camel-case", """var o = new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase }; return System.Text.Json.JsonSerializer.Serialize(new Host.Item("ink", 1, 2m), o);""", """{"name":"ink","quantity":1,"price":2}""");
        yield return B("jsonnode-navigate", """var node = System.Text.Json.Nodes.JsonNode.Parse(json)!; var admins = node["users"]!.AsArray().Where(u => u!["tags"]!.AsArray().Any(t => (string?)t == "admin")).Select(u => (string)u!["name"]!); return string.Join(",", admins);""", "ann,cy")
            with { Values = "json" };
        yield return B("jsonnode-build", """var obj = new System.Text.Json.Nodes.JsonObject { ["id"] = 1, ["items"] = new System.Text.Json.Nodes.JsonArray(1, 2) }; return obj.ToJsonString();""", """{"id":1,"items":[1,2]}""");
        yield return B("jsondocument-max", """using var doc = System.Text.Json.JsonDocument.Parse(json); return doc.RootElement.GetProperty("users").EnumerateArray().Max(e => e.GetProperty("age").GetInt32()).ToString();""", "40")
            with { Values = "json" };
        yield return B("utf8jsonwriter-memorystream", """using var ms = new System.IO.MemoryStream(); using (var w = new System.Text.Json.Utf8JsonWriter(ms)) { w.WriteStartObject(); w.WriteNumber("n", 3); w.WriteString("s", "x"); w.WriteEndObject(); } return Encoding.UTF8.GetString(ms.ToArray());""", """{"n":3,"s":"x"}""");
        yield return B("utf8jsonreader", """var reader = new System.Text.Json.Utf8JsonReader("{\"a\":[1,2,3]}"u8); var sum = 0; while (reader.Read()) { if (reader.TokenType == System.Text.Json.JsonTokenType.Number) sum += reader.GetInt32(); } return sum.ToString();""", "6");
        yield return B("json-roundtrip-list", """var users = System.Text.Json.JsonSerializer.Deserialize<List<Dictionary<string, System.Text.Json.JsonElement>>>(System.Text.Json.Nodes.JsonNode.Parse(json)!["users"]!.ToJsonString())!; return string.Join(",", users.Select(u => u["name"].GetString() + u["age"].GetInt32()));""", "ann31,bo25,cy40")
            with { Values = "json" };
        yield return B("stringreader-lines", """using var reader = new System.IO.StringReader("one\ntwo\nthree"); var n = 0; string? line; while ((line = reader.ReadLine()) != null) { n += line.Length; } return n.ToString();""", "11");
        yield return B("stringwriter", """using var w = new System.IO.StringWriter(); w.Write("a"); w.Write(1); w.WriteLine(); return w.ToString().TrimEnd();""", "a1");
        yield return B("memorystream-streamwriter-reader", """using var ms = new System.IO.MemoryStream(); using (var sw = new System.IO.StreamWriter(ms, leaveOpen: true)) { sw.Write("héllo"); } ms.Position = 0; using var sr = new System.IO.StreamReader(ms); return sr.ReadToEnd() + ms.Length;""", "héllo6");
        yield return B("binarywriter-reader", """using var ms = new System.IO.MemoryStream(); var bw = new System.IO.BinaryWriter(ms); bw.Write(42); bw.Write("hi"); bw.Flush(); ms.Position = 0; var br = new System.IO.BinaryReader(ms); return $"{br.ReadInt32()}{br.ReadString()}";""", "42hi");
        yield return B("memorystream-copyto", """using var a = new System.IO.MemoryStream(new byte[] { 1, 2, 3 }); using var b = new System.IO.MemoryStream(); a.CopyTo(b); return b.ToArray().Sum(x => x).ToString();""", "6");
        yield return B("gzip-in-memory", """using var ms = new System.IO.MemoryStream(); using (var gz = new System.IO.Compression.GZipStream(ms, System.IO.Compression.CompressionLevel.Optimal, true)) { gz.Write(Encoding.UTF8.GetBytes(new string('a', 1000))); } return (ms.Length < 100).ToString();""", "True");
        yield return B("csv-quoted-fields", """
            var csv = "name,qty,price\n\"Smith, J\",2,3.50\nLee,1,10.00";
            List<string> Fields(string line)
            {
                var r = new List<string>(); var sb = new StringBuilder(); var quoted = false;
                foreach (var c in line)
                {
                    if (c == '"') quoted = !quoted;
                    else if (c == ',' && !quoted) { r.Add(sb.ToString()); sb.Clear(); }
                    else sb.Append(c);
                }
                r.Add(sb.ToString());
                return r;
            }
            var rows = csv.Split('\n').Skip(1).Select(Fields).ToList();
            var total = rows.Sum(r => int.Parse(r[1]) * decimal.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture));
            return $"{rows[0][0]}|{total.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            """, "Smith, J|17.00");
        yield return B("csv-header-dictionaries", """var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries); var header = lines[0].Split(','); var rows = lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)); return string.Join(";", rows.Select(r => r["city"] + "=" + r["temp"]));""", "Oslo=3;Rome=18;Lima=22")
            with { Values = "csv" };
        yield return B("csv-aggregate-invariant", """var rain = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => double.Parse(l.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture)).Sum(); return rain.ToString(System.Globalization.CultureInfo.InvariantCulture);""", "13.75")
            with { Values = "csv" };
        yield return B("xml-linq", """var doc = System.Xml.Linq.XDocument.Parse("<r><i v='1'/><i v='2'/></r>"); return doc.Root!.Elements("i").Sum(e => (int)e.Attribute("v")!).ToString();""", "3");
        yield return B("regex-with-timeout", """var rx = new System.Text.RegularExpressions.Regex(@"\b(\w+)@(\w+)\.com\b", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)); return string.Join(",", rx.Matches("mail ann@x.com and bo@y.com").Select(m => m.Groups[2].Value));""", "x,y");
        yield return B("regex-nonbacktracking-replace", """return System.Text.RegularExpressions.Regex.Replace("a1b22c333", @"\d+", "#", System.Text.RegularExpressions.RegexOptions.NonBacktracking);""", "a#b#c#");
        yield return B("regex-static-ismatch-with-timeout", """return System.Text.RegularExpressions.Regex.IsMatch("2024-01-31", @"^\d{4}-\d{2}-\d{2}$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(500)).ToString();""", "True");
        yield return B("regex-nonbacktracking-named-groups", """var m = System.Text.RegularExpressions.Regex.Match("key=value", @"(?<k>\w+)=(?<v>\w+)", System.Text.RegularExpressions.RegexOptions.NonBacktracking); return m.Groups["v"].Value + m.Groups["k"].Value;""", "valuekey");
        yield return B("regex-split-log-with-timeout", """var rx = new System.Text.RegularExpressions.Regex(@"^(\S+ \S+) (\w+) (.*)$", System.Text.RegularExpressions.RegexOptions.Multiline, TimeSpan.FromSeconds(1)); return string.Join(",", rx.Matches(log).Where(m => m.Groups[2].Value == "WARN").Select(m => m.Groups[3].Value));""", "disk 91%")
            with { Values = "log" };
        yield return B("webutility-htmlencode", """return System.Net.WebUtility.HtmlEncode("<a href=\"x\">Tom & Jerry</a>");""", "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&lt;/a&gt;");
        yield return B("webutility-urlencode", """return System.Net.WebUtility.UrlEncode("a b&c=d/é");""", "a+b%26c%3Dd%2F%C3%A9");
        yield return B("uri-parts", """var u = new Uri("https://example.com:8443/path/to?q=1&x=2#frag"); return $"{u.Host}|{u.Port}|{u.AbsolutePath}|{u.Query}|{u.Fragment}";""", "example.com|8443|/path/to|?q=1&x=2|#frag");
        yield return B("uri-relative", """var b = new Uri("https://example.com/api/v1/"); return new Uri(b, "users/42").ToString();""", "https://example.com/api/v1/users/42");
        yield return B("uri-query-parse", """var q = new Uri("https://x.test/search?q=holes+c%23&page=2").Query.TrimStart('?').Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1].Replace('+', ' '))); return q["q"] + "|" + q["page"];""", "holes c#|2");
        yield return B("ipaddress-parse", """var ip = System.Net.IPAddress.Parse("192.168.1.10"); var bytes = ip.GetAddressBytes(); return $"{bytes[3]}|{ip.AddressFamily}|{System.Net.IPAddress.IsLoopback(ip)}";""", "10|InterNetwork|False");
        yield return B("ipnetwork-contains", """var ip = System.Net.IPAddress.Parse("10.1.2.3"); var net = System.Net.IPNetwork.Parse("10.0.0.0/8"); return net.Contains(ip).ToString();""", "True");
        yield return B("ipaddress-tryparse-v6", """return System.Net.IPAddress.TryParse("::1", out var ip) && System.Net.IPAddress.IsLoopback(ip) ? ip.AddressFamily.ToString() : "no";""", "InterNetworkV6");
        yield return B("path-names", """return System.IO.Path.GetExtension("report.final.csv") + "|" + System.IO.Path.GetFileNameWithoutExtension("/data/in/c.txt") + "|" + System.IO.Path.ChangeExtension("a.json", ".bak");""", ".csv|c|a.bak");
        yield return B("environment-newline", """return string.Join(Environment.NewLine, new[] { "a", "b" }).Replace(Environment.NewLine, "|");""", "a|b");
        yield return B("sha256-hashdata", """var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("abc")); return Convert.ToHexString(hash)[..16];""", "BA7816BF8F01CFEA");
        yield return B("md5-hashdata", """return Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes("")));""", "d41d8cd98f00b204e9800998ecf8427e");
        yield return B("hmacsha256-hashdata", """return Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes("key"), Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog")))[..16];""", "f7bc83f430538424");
        yield return B("base64-roundtrip", """var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes("hello world")); return b64 + "|" + Encoding.UTF8.GetString(Convert.FromBase64String("SG9sZXM="));""", "aGVsbG8gd29ybGQ=|Holes");
        yield return B("buffer-blockcopy", """var src = new byte[] { 1, 2, 3, 4 }; var dst = new byte[6]; Buffer.BlockCopy(src, 1, dst, 2, 3); return string.Join(",", dst);""", "0,0,2,3,4,0");
        yield return B("enum-getvalues-generic", """return string.Join(",", Enum.GetValues<DayOfWeek>().Where(d => d is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).Select(d => d.ToString()[..2]));""", "Mo,Tu,We,Th,Fr");
        yield return B("enum-parse", """return ((int)Enum.Parse<DayOfWeek>("Friday")).ToString() + Enum.IsDefined((DayOfWeek)9);""", "5False");
        yield return B("bitconverter", """return BitConverter.ToString(BitConverter.GetBytes((short)258));""", "02-01");
        yield return B("guid-parse", """return Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff").ToString("N")[..8];""", "6f9619ff");
        yield return B("encodings", """return $"{Encoding.UTF8.GetByteCount("naïve")}{Encoding.ASCII.GetString(new byte[] { 72, 105 })}";""", "6Hi");
        yield return B("hex-string-roundtrip", """var bytes = Convert.FromHexString("DEADBEEF"); return Convert.ToHexStringLower(bytes.Reverse().ToArray());""", "efbeadde");
    }
}
