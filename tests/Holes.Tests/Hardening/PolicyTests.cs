using Holes.Testing;

namespace Holes.Tests.Hardening;

/// <summary>
/// Issue 6's member-by-member decisions: what is pure is allowed, what carries authority or reaches process-wide state
/// is denied with an accurate message, blocking waits and work that outlives a fill are denied, and no stack trace is
/// formatted into text. Each rule is shown firing and not firing.
/// </summary>
public class PolicyTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(2);

    private static async Task<HoleResult<string>> Run(string code)
    {
        await using var session = new AgentSession(new ScriptedChatClient(), new HoleOptions { Timeout = TimeSpan.FromMinutes(1) });
        return await session.ExecuteAsync<string>(code).WaitAsync(Hang);
    }

    public static TheoryData<string, string> Pure => new()
    {
        { "var r = new System.IO.StringReader(\"a\\nb\"); var w = new System.IO.StringWriter(); string? line; while ((line = r.ReadLine()) != null) w.Write(line); return w.ToString();", "ab" },
        { "using var m = new System.IO.MemoryStream(); using (var bw = new System.IO.BinaryWriter(m, System.Text.Encoding.UTF8, leaveOpen: true)) { bw.Write(7); } m.Position = 0; return new System.IO.BinaryReader(m).ReadInt32().ToString();", "7" },
        { "using var m = new System.IO.MemoryStream(); using (var sw = new System.IO.StreamWriter(m, leaveOpen: true)) { sw.Write(\"hi\"); } m.Position = 0; return new System.IO.StreamReader(m).ReadToEnd();", "hi" },
        { "System.IO.TextWriter w = new System.IO.StringWriter(); w.Write(1); return w.ToString()!;", "1" },
        { "var b = new System.Buffers.ArrayBufferWriter<byte>(); using (var j = new System.Text.Json.Utf8JsonWriter(b)) { j.WriteStartObject(); j.WriteNumber(\"a\", 1); j.WriteEndObject(); } return System.Text.Encoding.UTF8.GetString(b.WrittenSpan);", "{\"a\":1}" },
        { "var r = new System.Text.Json.Utf8JsonReader(\"[1]\"u8); r.Read(); r.Read(); return r.GetInt32().ToString();", "1" },
        { "return System.Net.WebUtility.HtmlEncode(\"<b>\") + System.Net.WebUtility.UrlEncode(\"a b\");", "&lt;b&gt;a+b" },
        { "return System.Net.IPAddress.Parse(\"127.0.0.1\").GetAddressBytes().Length.ToString();", "4" },
        { "return System.Net.IPAddress.TryParse(\"::1\", out var a) ? a.AddressFamily.ToString() : \"no\";", "InterNetworkV6" },
        { "return new Uri(\"https://example.com/a?b=1\").Host;", "example.com" },
        { "return Environment.NewLine.Length > 0 ? \"nl\" : \"\";", "nl" },
        { "return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(\"abc\"u8)).Substring(0, 8);", "BA7816BF" },
        { "return Convert.ToHexString(System.Security.Cryptography.MD5.HashData(\"\"u8)).Substring(0, 4) + System.Security.Cryptography.SHA1.HashData(\"\"u8).Length + System.Security.Cryptography.SHA512.HashData(\"\"u8).Length;", "D41D2064" },
        { "return System.Security.Cryptography.HMACSHA256.HashData(\"k\"u8, \"m\"u8).Length.ToString();", "32" },
        { "using var h = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256); h.AppendData(\"a\"u8); return h.GetHashAndReset().Length.ToString();", "32" },
        { "var src = new byte[] { 1, 2, 3 }; var dst = new byte[3]; Buffer.BlockCopy(src, 0, dst, 0, 3); return dst[2].ToString();", "3" },
        { "return System.Text.RegularExpressions.Regex.IsMatch(\"aaa\", \"^a+$\", System.Text.RegularExpressions.RegexOptions.NonBacktracking).ToString();", "True" },
        { "var r = new System.Text.RegularExpressions.Regex(\"b+\", System.Text.RegularExpressions.RegexOptions.NonBacktracking | System.Text.RegularExpressions.RegexOptions.IgnoreCase); return r.Match(\"aBb\").Value;", "Bb" },
        { "return System.Text.RegularExpressions.Regex.IsMatch(\"a\", \"a\", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(2)).ToString();", "True" },
        { "return string.Join(\",\", Enum.GetValues<DayOfWeek>().Take(2)) + Enum.GetNames<DayOfWeek>().Length + Enum.Parse<DayOfWeek>(\"Monday\") + (Enum.TryParse<DayOfWeek>(\"x\", out _) ? 1 : 0);", "Sunday,Monday7Monday0" },
        { "return System.IO.Path.Combine(\"a\", \"b.txt\").Length + System.IO.Path.GetExtension(\"b.txt\") + System.IO.Path.GetFileNameWithoutExtension(\"/x/b.txt\");", "7.txtb" },
        { "var t1 = Task.FromResult(1); var t2 = Task.FromResult(2); await Task.WhenAll(t1, t2); return (t1.Result + t2.Result).ToString();", "3" },
        { "try { throw new InvalidOperationException(\"boom\"); } catch (Exception ex) { return $\"failed: {ex.Message} ({ex is InvalidOperationException})\"; }", "failed: boom (True)" },
        { "var t = Compute(); var other = 1; return (await t + other).ToString(); async Task<int> Compute() { await Task.Yield(); return 2; }", "3" },
        { "Func<Task<int>> f = async () => { await Task.Yield(); return 4; }; return (await f()).ToString();", "4" },
        { "var pool = System.Buffers.ArrayPool<int>.Create(); var a = pool.Rent(4); pool.Return(a); return \"ok\";", "ok" },
        { "using var cts = new System.Threading.CancellationTokenSource(); return cts.Token.IsCancellationRequested.ToString();", "False" },
        { "var doc = System.Xml.Linq.XDocument.Parse(\"<r><i v='1'/><i v='2'/></r>\"); var w = new System.IO.StringWriter(); new System.Xml.Linq.XElement(\"s\", doc.Root!.Elements(\"i\").Sum(e => (int)e.Attribute(\"v\")!)).Save(w); return w.ToString().Contains(\"<s>3</s>\").ToString();", "True" },
        { "using var cts = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(30)); await Task.Delay(1, cts.Token); return cts.IsCancellationRequested.ToString();", "False" },
        { "var n = await Task.FromResult(20).ContinueWith(t => t.Result + 1); return n.ToString();", "21" },
        { "var fast = Task.Delay(1).ContinueWith(_ => \"fast\"); var first = await Task.WhenAny(fast, new TaskCompletionSource<string>().Task); return await first;", "fast" },
        { "var tasks = new[] { Task.FromResult(1), Task.CompletedTask.ContinueWith(_ => 2) }; return (await Task.WhenAll(tasks)).Sum().ToString();", "3" },
        { "var t = Task.FromResult(2).ContinueWith(Twice).ConfigureAwait(false); return (await t).ToString(); int Twice(Task<int> x) => x.Result * 2;", "4" },
    };

    [Theory]
    [MemberData(nameof(Pure))]
    public async Task Pure_framework_code_is_allowed(string code, string expected)
    {
        var result = await Run(code);

        Assert.True(result.IsAccepted, string.Join("\n", result.Diagnostics) + result.Exception);
        Assert.Equal(expected, result.Value);
    }

    public static TheoryData<string, string, string> Denied => new()
    {
        // Authority stays denied, and says so accurately.
        { "return System.IO.File.ReadAllText(\"/etc/passwd\");", "HOLE1006", "file system" },
        { "return new System.IO.StreamReader(\"/etc/passwd\").ReadToEnd();", "HOLE1006", "opens a file by its path" },
        { "return System.IO.Path.GetTempPath();", "HOLE1006", "current directory" },
        { "return System.IO.Path.GetFullPath(\"a\");", "HOLE1006", "current directory" },
        { "return System.Net.Dns.GetHostName();", "HOLE1007", "reaches the network" },
        { "using var c = new System.Net.Http.HttpClient(); return \"x\";", "HOLE1007", "reaches the network" },
        { "var e = new System.Net.Sockets.TcpClient(); return \"x\";", "HOLE1007", "reaches the network" },
        { "return Environment.ProcessorCount.ToString();", "HOLE1010", "Of Environment, only NewLine" },
        { "return Environment.GetEnvironmentVariable(\"HOME\") ?? \"\";", "HOLE1010", "environment variables" },
        { "using var aes = System.Security.Cryptography.Aes.Create(); return \"x\";", "HOLE1010", "Hashing" },
        { "using var h = System.Security.Cryptography.HashAlgorithm.Create(\"SHA256\"); return \"x\";", "HOLE1001", "by name" },

        // Process-wide registrations and shared pools.
        { "System.Text.Encoding.RegisterProvider(null!); return \"x\";", "HOLE1010", "registers encodings for the whole process" },
        { "var a = System.Buffers.ArrayPool<byte>.Shared.Rent(16); return a.Length.ToString();", "HOLE1010", "pool shared by the whole process" },
        { "var m = System.Buffers.MemoryPool<byte>.Shared; return \"x\";", "HOLE1010", "pool shared by the whole process" },
        { "System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture; return \"x\";", "HOLE1012", "DefaultThreadCurrentCulture" },
        { "System.Text.RegularExpressions.Regex.CacheSize = 0; return \"x\";", "HOLE1012", "CacheSize" },
        { "System.Text.Json.JsonSerializerOptions.Default.WriteIndented = true; return \"x\";", "HOLE032", "JsonSerializerOptions.Default" },
        { "AppContext.SetSwitch(\"x\", true); return \"x\";", "HOLE1010", "AppContext" },
        { "System.Threading.ThreadPool.SetMinThreads(1, 1); return \"x\";", "HOLE1009", "ThreadPool" },
        { "var s = TaskScheduler.Default; return \"x\";", "HOLE1009", "TaskScheduler" },

        // Blocking waits.
        { "var t = Task.Delay(10); t.Wait(); return \"x\";", "HOLE1017", "Await instead" },
        { "Task.WaitAll(Task.Delay(10)); return \"x\";", "HOLE1017", "Await instead" },
        { "return Task.FromResult(\"x\").GetAwaiter().GetResult();", "HOLE1017", "GetAwaiter" },
        { "var c = new System.Collections.Concurrent.BlockingCollection<int>(); return \"x\";", "HOLE1017", "BlockingCollection" },
        { "var s = new System.Threading.SemaphoreSlim(1); s.Wait(); return \"x\";", "HOLE1017", "SemaphoreSlim" },
        { "System.Threading.SpinWait.SpinUntil(() => false, 10); return \"x\";", "HOLE1017", "SpinWait" },

        // Work that would outlive the fill.
        { "Action a = async () => { await Task.Yield(); }; a(); return \"x\";", "HOLE1018", "async void" },
        { "async void Fire() { await Task.Yield(); } Fire(); return \"x\";", "HOLE1018", "async void" },
        { "_ = Later(); return \"x\"; async Task Later() { await Task.Yield(); }", "HOLE1018", "drops its task" },
        { "Later(); return \"x\"; async Task Later() { await Task.Yield(); }", "HOLE1018", "ignores its task" },
        { "Task.Delay(100); return \"x\";", "HOLE1018", "ignores its task" },
        { "var t = Task.Delay(10).ContinueWith(_ => 1); return \"x\";", "HOLE1018", "continuation" },
        { "using var cts = new System.Threading.CancellationTokenSource(); cts.CancelAfter(10); return \"x\";", "HOLE1018", "timer" },
        { "var t = Task.Delay(10).ContinueWith(Log); return \"x\"; void Log(Task t) { }", "HOLE1018", "continuation" },
        { "var ts = new[] { Task.Delay(10).ContinueWith(_ => 1) }; ts[0] = Task.FromResult(2); return \"x\";", "HOLE1018", "continuation" },
        { "await Task.Delay(10).ContinueWith(t => { }, TaskScheduler.Default); return \"x\";", "HOLE1009", "TaskScheduler" },
        { "using var cts = new System.Threading.CancellationTokenSource(); cts.Token.Register(() => { }); return \"x\";", "HOLE1018", "callback" },
        { "var t = new System.Threading.Timer(_ => { }); return \"x\";", "HOLE1009", "timers" },

        { "return System.Xml.Linq.XDocument.Load(\"/etc/passwd\").ToString();", "HOLE1006", "XML by file path" },
        { "new System.Xml.Linq.XElement(\"a\").Save(\"/tmp/x.xml\"); return \"x\";", "HOLE1006", "XML by file path" },

        // Stack traces name host paths.
        { "try { throw new Exception(); } catch (Exception ex) { return ex.StackTrace ?? \"\"; }", "HOLE1019", "stack trace" },
        { "try { throw new Exception(); } catch (Exception ex) { return ex.ToString(); }", "HOLE1019", "stack trace" },
        { "try { throw new Exception(); } catch (Exception ex) { return $\"failed: {ex}\"; }", "HOLE1019", "Message" },
        { "try { throw new Exception(); } catch (Exception ex) { return \"failed: \" + ex; }", "HOLE1019", "Message" },
        { "try { throw new Exception(); } catch (Exception ex) { return new System.Text.StringBuilder().Append(ex).ToString(); }", "HOLE1019", "Message" },

        // Regular expressions: unbounded or absurd timeouts.
        { "return System.Text.RegularExpressions.Regex.IsMatch(\"a\", \"(a+)+$\");", "HOLE1015", "timeout" },
        { "return System.Text.RegularExpressions.Regex.IsMatch(\"a\", \"a\", System.Text.RegularExpressions.RegexOptions.None, System.Text.RegularExpressions.Regex.InfiniteMatchTimeout).ToString();", "HOLE1015", "InfiniteMatchTimeout" },
        { "return System.Text.RegularExpressions.Regex.IsMatch(\"a\", \"a\", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromDays(1)).ToString();", "HOLE1015", "longer than" },
        { "var o = System.Text.RegularExpressions.RegexOptions.NonBacktracking; return System.Text.RegularExpressions.Regex.IsMatch(\"a\", \"a\", o).ToString();", "HOLE1015", "timeout" },
    };

    [Theory]
    [MemberData(nameof(Denied))]
    public async Task Denied_code_is_rejected_with_an_accurate_message(string code, string id, string says)
    {
        var result = await Run(code);

        Assert.Equal(HoleStatus.Rejected, result.Status);
        Assert.Contains(result.Diagnostics, d => d.Id == id && d.Message.Contains(says, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Html_encoding_is_never_described_as_network_access()
    {
        var result = await Run("return System.Net.WebUtility.HtmlEncode(\"<\") + System.Net.Cookie.Equals(null, null);");

        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("network", StringComparison.Ordinal) && d.Message.Contains("WebUtility", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_task_read_before_it_finished_is_refused_rather_than_blocking()
    {
        var result = await Run("var never = new TaskCompletionSource<string>(); return never.Task.Result;");

        var faulted = Assert.IsType<HoleFaultedException>(result.Exception);
        Assert.IsType<InvalidOperationException>(faulted.InnerException);
        Assert.Contains("Await the task instead", faulted.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_regex_timeout_known_only_at_run_time_is_still_bounded()
    {
        var result = await Run("var seconds = int.Parse(\"100\"); return System.Text.RegularExpressions.Regex.IsMatch(\"a\", \"a\", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(seconds)).ToString();");

        var faulted = Assert.IsType<HoleFaultedException>(result.Exception);
        Assert.IsType<ArgumentOutOfRangeException>(faulted.InnerException);
    }
}
