using System.Security.Cryptography;
using System.Text;

namespace Holes.Security.Tests.Harness;

/// <summary>
/// The shared body of every hostile test: a folder, a loopback sink and a secret of the case's own, the case run in
/// a child process in one mode, then every check of issue 6: blocked as expected, no file outside the allowed
/// roots, nothing at the sink, the secret nowhere (output, exceptions, logs, spans, prompts, stray console output),
/// the process alive, and the same session running a benign hole correctly afterwards.
/// </summary>
public abstract class HostileTests(ChildHost child)
{
    protected async Task RunAsync(string name, HoleIsolation mode)
    {
        var hostile = Cases.HostileCases.ByName[name];
        var secret = "sk-holes-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        using var folder = new CaseFolder(secret);
        await using var sink = new HttpSink();
        var run = await child.RunAsync(new CaseRequest(name, mode, folder.Root, sink.Url, secret));

        // A request a leaked task sends a moment late still counts.
        await Task.Delay(150);
        var failures = Verdict.Failures(hostile, mode, run, sink.Received, folder.Changes(), secret, folder.Root);
        if (Environment.GetEnvironmentVariable("HOLES_SECURITY_REPORTS") is { Length: > 0 } reports)
        {
            // For reviewing a run: every case's report, pass or fail (HOLES_SECURITY_REPORTS=/some/folder).
            Directory.CreateDirectory(reports);
            await File.WriteAllTextAsync(Path.Combine(reports, $"{name.Replace('/', '_')}.{mode}.json"), Wire.Write(new { run.Report, run.Stray, run.Failure, Failures = failures }));
        }

        if (failures.Count > 0)
        {
            Assert.Fail($"{name} ({mode}):\n- " + string.Join("\n- ", failures) + "\n" + Verdict.Summary(run));
        }
    }
}

/// <summary>The checks, as a list of findings (empty when the case was blocked cleanly).</summary>
public static class Verdict
{
    public static List<string> Failures(HostileCase hostile, HoleIsolation mode, ChildRun run, IReadOnlyList<string> sink, IReadOnlyList<string> files, string secret, string root)
    {
        ArgumentNullException.ThrowIfNull(hostile);
        ArgumentNullException.ThrowIfNull(run);
        var failures = new List<string>();
        var expected = hostile.ExpectIn(mode);
        var report = run.Report;
        if (report is null)
        {
            var residue = run.Crashed && expected.HasFlag(Outcome.Crashed);
            if (!residue)
            {
                failures.Add(run.Failure ?? "no report from the child");
            }
        }
        else
        {
            if (report.Hung)
            {
                failures.Add("hung: the hole did not return (the budget did not stop it)");
            }
            else if (!expected.HasFlag(report.Outcome))
            {
                failures.Add($"expected {expected}, got {report.Outcome}" + (report.Outcome == Outcome.Accepted ? $" (the fill ran and returned '{Clip(report.Value)}')" : ""));
            }

            failures.AddRange(report.Problems);
        }

        if (sink.Count > 0)
        {
            failures.Add($"the loopback sink received {sink.Count} request(s): {Clip(sink[0])}");
        }

        failures.AddRange(files.Select(f => "a file changed outside the allowed roots: " + f));
        if (report?.Value is { } value && Path.IsPathFullyQualified(value) && File.Exists(value) && !value.StartsWith(root, StringComparison.Ordinal))
        {
            failures.Add("the fill created a file outside the allowed roots: " + value);
            File.Delete(value);
        }

        var everything = (report is null ? "" : Wire.Write(report)) + "\n" + run.Stray + "\n" + string.Join("\n", sink);
        foreach (var (form, text) in SecretForms(secret))
        {
            if (everything.Contains(text, StringComparison.Ordinal))
            {
                failures.Add($"the secret ({form}) appears in {Where(report, run.Stray, sink, text)}");
            }
        }

        // What the fill or the model could see: its value, the prompts, the session's outputs, the sink.
        if (report is not null)
        {
            var visible = string.Join("\n", [report.Value ?? "", .. report.Prompts, .. report.Outputs, .. sink]);
            foreach (var forbidden in hostile.Forbidden.Select(f => f.Replace("$ROOT", root, StringComparison.Ordinal).Replace("$SRC", SourceDirectory, StringComparison.Ordinal)))
            {
                if (visible.Contains(forbidden, StringComparison.Ordinal))
                {
                    failures.Add($"'{forbidden}' reached the fill or the model");
                }
            }
        }

        return failures;
    }

    /// <summary>The folder of the test sources: a host path no fill or prompt should ever see.</summary>
    public static string SourceDirectory { get; } = Path.GetDirectoryName(Path.GetDirectoryName(Here()))!;

    public static string Summary(ChildRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var text = new StringBuilder();
        if (run.Report is { } r)
        {
            text.AppendLine($"outcome: {r.Outcome} in {r.ElapsedMilliseconds} ms; protections: {r.Protections}");
            if (r.Diagnostics.Count > 0)
            {
                text.AppendLine("diagnostics: " + Clip(string.Join(" | ", r.Diagnostics), 1200));
            }

            if (r.Exception is { } e)
            {
                text.AppendLine("exception: " + Clip(e, 1200));
            }

            if (r.Notes.Count > 0)
            {
                text.AppendLine("notes: " + string.Join(" | ", r.Notes));
            }

            if (r.Outputs.Count > 0)
            {
                text.AppendLine("outputs: " + Clip(string.Join(" | ", r.Outputs), 800));
            }
        }

        if (run.Stray.Length > 0)
        {
            text.AppendLine("child output: " + Clip(run.Stray, 1500));
        }

        return text.ToString();
    }

    private static IEnumerable<(string Form, string Text)> SecretForms(string secret)
    {
        var core = secret["sk-holes-".Length..];
        yield return ("as is", core);
        yield return ("upper case", core.ToUpperInvariant());
        yield return ("reversed", new string(core.Reverse().ToArray()));
        yield return ("base64", Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)).TrimEnd('='));
        yield return ("hex", Convert.ToHexStringLower(Encoding.UTF8.GetBytes(core)));
    }

    private static string Where(CaseReport? report, string stray, IReadOnlyList<string> sink, string text)
    {
        var places = new List<string>();
        if (report is not null)
        {
            Add(places, "the value", report.Value, text);
            Add(places, "the exception", report.Exception, text);
            Add(places, "the diagnostics", string.Join("\n", report.Diagnostics), text);
            Add(places, "the logs", string.Join("\n", report.Logs), text);
            Add(places, "the spans", string.Join("\n", report.Traces), text);
            Add(places, "the prompts", string.Join("\n", report.Prompts), text);
            Add(places, "the session's outputs", string.Join("\n", report.Outputs), text);
            Add(places, "the findings", string.Join("\n", report.Problems.Concat(report.Notes)), text);
        }

        Add(places, "the child's console output", stray, text);
        Add(places, "the sink", string.Join("\n", sink), text);
        return places.Count == 0 ? "the report" : string.Join(", ", places);
    }

    private static void Add(List<string> places, string name, string? haystack, string text)
    {
        if (haystack?.Contains(text, StringComparison.Ordinal) == true)
        {
            var at = haystack.IndexOf(text, StringComparison.Ordinal);
            places.Add($"{name} (…{Clip(haystack[Math.Max(0, at - 80)..Math.Min(haystack.Length, at + text.Length + 40)], 200)}…)");
        }
    }

    private static string Clip(string? text, int max = 300) =>
        text is null ? "" : text.Length <= max ? text : text[..max] + "…";

    private static string Here([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
