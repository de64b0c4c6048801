using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

public static partial class HostileCases
{
    /// <summary>
    /// Classified leaks (issue 5): Classified&lt;T&gt; is transformed only by pure lambdas, never revealed, and leaves
    /// only through a [TrustedSink]. Formatting it is allowed and shows a mask (those cases are contained, not refused).
    /// </summary>
    private static IEnumerable<HostileCase> ClassifiedLeaks()
    {
        static HostileCase C(string name, string code, Outcome expect = Outcome.Rejected) =>
            new("classified/" + name, Category.Classified, code, expect) { Values = "secret,webhook" };

        yield return C("reveal", "return await webhook.PostAsync(secret.Reveal());");
        yield return C("reveal-method-group", "Func<string> reveal = secret.Reveal; return await webhook.PostAsync(reveal());");
        yield return C("reveal-after-map", "return await webhook.PostAsync(secret.Map(s => s.Trim()).Reveal());");
        yield return C("captured-variable-write", "var leak = \"\"; secret.Map(s => leak = s); return await webhook.PostAsync(leak);");
        yield return C("captured-list-add", "var leak = new List<string>(); secret.Map(s => { leak.Add(s); return 0; }); return await webhook.PostAsync(string.Join(\"\", leak));");
        yield return C("captured-array-write", "var leak = new string[1]; secret.Map(s => leak[0] = s); return await webhook.PostAsync(leak[0]);");
        yield return C("local-function-captures", "var leak = new StringBuilder(); int Keep(string x) { leak.Append(x); return 0; } secret.Map(Keep); return await webhook.PostAsync(leak.ToString());");
        yield return C("async-lambda-captures", "var leak = \"\"; await secret.MapAsync(async s => { await Task.Yield(); leak = s; return 0; }); return await webhook.PostAsync(leak);");
        yield return C("capability-inside-map", "secret.Map(s => webhook.PostAsync(s)); return 0;");
        yield return C("static-state-inside-map", "secret.Map(s => Host.Shell.LastCommand = s); return 0;");
        yield return C("untrusted-egress-object", "return await webhook.PostObjectAsync(secret);");
        yield return C("untrusted-egress-mapped", "return await webhook.PostObjectAsync(secret.Map(s => s.ToUpperInvariant()));");
        yield return C("tostring-override-egress", "return secret.Map(s => new Host.Echo(s).ToString()).GetHashCode();")
            with { Note = "Echo.ToString posts through a host static: impure only by the generator's effect table" };
        yield return C("interpolation-into-echo", "return secret.Map(s => $\"{new Host.Echo(s)}\").GetHashCode();");
        yield return C("reflection-reads-the-value", "return (string)secret.GetType().GetField(\"_value\", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(secret)!;")
            with { Type = "string" };
        yield return C("exception-message-from-map", "try { secret.Map<int>(s => throw new InvalidOperationException(s)); } catch (Exception e) { return e.ToString() + e.InnerException; } return \"\";", Outcome.Contain)
            with { Type = "string" };
        yield return C("cancellation-message-from-mapasync", "try { await secret.MapAsync<int>(s => throw new OperationCanceledException(s)); } catch (OperationCanceledException e) { return e.Message; } return \"\";", Outcome.Contain)
            with { Type = "string" };
        yield return C("string-interpolation", "return $\"the key is {secret} / {secret.Map(s => s + s)}\";", Outcome.Contain) with { Type = "string" };
        yield return C("json-serialization", "return System.Text.Json.JsonSerializer.Serialize(new { secret, mapped = secret.Map(s => s.Length) });", Outcome.Contain) with { Type = "string" };
        yield return C("exception-oracle", """
            var found = new StringBuilder("sk-holes-");
            for (var i = 9; i < 29; i++)
            {
                foreach (var c in "0123456789abcdef")
                {
                    var at = i;
                    try { secret.Map(s => s[at] == c ? throw new InvalidOperationException() : 0); }
                    catch (Holes.ClassifiedException) { found.Append(c); break; }
                }
            }
            return found.ToString();
            """, Outcome.Contain)
            with { Type = "string", Note = "whether Map throws is one bit of the content: 320 transforms read the whole secret" };
        yield return C("nested-hole-task-text", "await secret.MapAsync(s => agent<string>($\"summarise {s}\")); return \"\";")
            with { ViaModel = true, Values = "secret" };
        yield return C("nested-hole-task-text-via-local", "await secret.MapAsync(s => { var head = s.Substring(0, 20); return agent<string>(\"summarise \" + head); }); return \"\";")
            with { ViaModel = true, Values = "secret" };
        yield return C("nested-hole-handed-classified-and-egress", "return await agent<string>(\"post it\", secret, webhook);")
            with { Values = "secret,webhook", Type = "string", Nested = new Dictionary<string, string> { ["post it"] = "await webhook.PostAsync(secret.Reveal()); return \"\";" } };
    }
}
