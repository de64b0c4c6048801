using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Holes.Testing;
using Host;
using Microsoft.Extensions.AI;

namespace Holes.Security.Tests.Harness;

/// <summary>
/// Runs one hostile case in the child process: a fresh session in the requested mode, the setup, the attack under a
/// short budget and a guard, then the checks that the same session still works and nothing process-wide changed.
/// Everything the engine said on the way (logs, spans, prompts, exceptions, variables) goes into the report.
/// </summary>
internal static class CaseRunner
{
    /// <summary>How long the child waits for an attack beyond its budget before it calls it hung.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(12);

    /// <summary>The budget of the benign holes around an attack: generous, since the machine may be busy.</summary>
    private static readonly TimeSpan Relaxed = TimeSpan.FromSeconds(60);

    public static async Task<CaseReport> RunAsync(CaseRequest request, IReadOnlyDictionary<string, string> baseline)
    {
        var hostile = Cases.HostileCases.ByName[request.Name];
        var report = new CaseReport();
        Environment.SetEnvironmentVariable("HOLES_SECRET", request.Secret);
        HostSecrets.ApiKey = request.Secret;
        var cwd = Path.Combine(request.Root, "cwd");
        Environment.CurrentDirectory = cwd;

        using var kit = new Kit(request);

        // A static way to the webhook, for the cases that try it (and for Echo.ToString, whose effect hides in formatting).
        Webhook.Default = kit.Webhook;
        var model = new ScriptedChatClient();
        var code = Expand(hostile.Code, request);
        foreach (var (task, reply) in hostile.Nested ?? new Dictionary<string, string>())
        {
            var nestedCode = Expand(reply, request);
            model.When(r => r.Task == task, _ => FillReplies.Code(nestedCode));
        }

        model.When(_ => true, _ => FillReplies.Code(code));

        // In Process mode the child keeps one session (and its worker) across cases, as a program would, cleared
        // between them; a case that needs a session of its own, or that went wrong, gets a fresh one.
        var shared = request.Mode == HoleIsolation.Process && hostile.Scenario is null && hostile.Category != Category.Session && hostile.WorkerMemoryMegabytes is null;
        var (session, capture) = shared ? Shared.Take(model) : Fresh(request.Mode, model, hostile.WorkerMemoryMegabytes, TimeSpan.FromSeconds(hostile.Budget));
        var keep = shared;
        try
        {
            AgentSession.Current = session;
            report.Protections = session.Protections.ToString();
            kit.Grant(session, hostile.Grants);
            if (hostile.Setup is { } setup)
            {
                var prepared = await session.ExecuteAsync<int>(Expand(setup, request));
                if (!prepared.IsAccepted)
                {
                    report.Problems.Add($"the setup was not accepted: {prepared.Status} {string.Join("; ", prepared.Diagnostics)} {prepared.Exception}");
                }
            }

            var before = Variables(session);
            session.Options.Timeout = TimeSpan.FromSeconds(hostile.Budget);
            var guard = TimeSpan.FromSeconds(hostile.Budget) + (request.Mode == HoleIsolation.InProcess && hostile.InProcess == Residue.Memory ? Relaxed : Grace);
            var watch = Stopwatch.StartNew();
            // On a pool thread: a fill that never awaits runs synchronously inside ExecuteAsync, and the guard must still run.
            var attack = Task.Run(() => hostile.Scenario is null ? AttackAsync(hostile, code, session, kit, report) : ScenarioAsync(hostile, code, session, kit, report));
            if (await Task.WhenAny(attack, Task.Delay(guard)) != attack)
            {
                report.Hung = true;
                report.Recycle = true;
                report.Problems.Add($"the attack did not return within {guard.TotalSeconds:0} s although its budget was {hostile.Budget} s");
            }
            else
            {
                await attack;
            }

            report.ElapsedMilliseconds = watch.ElapsedMilliseconds;
            if (hostile.SettleMilliseconds > 0)
            {
                await Task.Delay(hostile.SettleMilliseconds);
            }

            session.Options.Timeout = Relaxed;
            var after = Variables(session);
            if (report.Outcome != Outcome.Accepted && !report.Hung && !before.SequenceEqual(after))
            {
                report.Problems.Add($"a blocked fill changed the session: before [{string.Join("; ", before)}], after [{string.Join("; ", after)}]");
            }

            await CheckIntactAsync(hostile, session, request, report);
            if (hostile.Exploit is { } exploit && report.Outcome == Outcome.Accepted)
            {
                var used = await Guarded(() => session.ExecuteAsync<string>(Expand(exploit, request)), report, "the exploit");
                report.Outputs.Add($"exploit: {used?.Status} {used?.Value} {string.Join("; ", used?.Diagnostics ?? [])} {used?.Exception}");
            }

            foreach (var variable in session.Variables)
            {
                report.Outputs.Add($"variable {variable.Name}: {variable.TypeName} = {Describe(variable.Value)}");
            }
        }
        finally
        {
            report.Prompts.AddRange(model.Requests.SelectMany(r => r.Messages.Select(m => $"{m.Role}: {m.Text}")));
            AgentSession.Current = null;
            keep &= !report.Hung && report.Problems.Count == 0 && hostile.ExpectIn(request.Mode).HasFlag(report.Outcome) && Clear(session);
            if (!keep)
            {
                if (shared)
                {
                    Shared.Drop();
                }

                var disposing = session.DisposeAsync().AsTask();
                if (await Task.WhenAny(disposing, Task.Delay(Relaxed)) != disposing)
                {
                    report.Problems.Add("disposing the session did not finish within a minute");
                    report.Recycle = true;
                }
            }
        }

        report.Logs.AddRange(capture.Logs);
        report.Traces.AddRange(Capture.Traces);
        if (!string.Equals(Environment.CurrentDirectory, cwd, StringComparison.Ordinal))
        {
            report.Problems.Add($"process-wide state changed: the current directory is now '{Environment.CurrentDirectory}'");
        }

        if (report.Exception?.Contains("OutOfMemoryException", StringComparison.Ordinal) == true)
        {
            // The heap ran out in this process: start the next case in a fresh one.
            report.Recycle = true;
        }

        var changed = ProcessProbe.Differences(baseline, ProcessProbe.Take()).ToList();
        report.Problems.AddRange(changed);
        if (changed.Count > 0 || (request.Mode == HoleIsolation.InProcess && hostile.InProcess != Residue.None))
        {
            // A residue may leave a thread spinning, and changed process state would taint the next case: start afresh.
            report.Recycle = true;
        }

        return report;
    }

    private static (AgentSession Session, Capture Capture) Fresh(HoleIsolation mode, IChatClient model, int? memoryMegabytes, TimeSpan budget)
    {
        var capture = new Capture();

        // In process the session takes HoleOptions.Timeout when it is created (the isolated runner reads it at each
        // fill), so an in-process session gets the case's budget from the start: the setup and the checks after the
        // attack are tiny fills and run under it too.
        var options = new HoleOptions { Isolation = mode, Timeout = mode == HoleIsolation.InProcess ? budget : Relaxed, MaxAttempts = 2, Log = capture.Note };
        if (memoryMegabytes is { } megabytes)
        {
            options.WorkerMemoryLimit = (long)megabytes << 20;
        }

        return (new AgentSession(model, options, capture), capture);
    }

    /// <summary>Removes every variable and grant, so the next case starts from an empty session.</summary>
    private static bool Clear(AgentSession session)
    {
        foreach (var variable in session.Variables.ToList())
        {
            session.RemoveVariable(variable.Name);
        }

        return session.Variables.Count == 0;
    }

    /// <summary>The Process-mode session this child keeps across cases.</summary>
    private static class Shared
    {
        private static (AgentSession Session, Capture Capture, SwitchingChatClient Model)? s_current;

        public static (AgentSession, Capture) Take(IChatClient model)
        {
            if (s_current is not { } current)
            {
                var capture = new Capture();
                var switching = new SwitchingChatClient(model);
                var options = new HoleOptions { Isolation = HoleIsolation.Process, Timeout = Relaxed, MaxAttempts = 2, Log = capture.Note };
                current = (new AgentSession(switching, options, capture), capture, switching);
                s_current = current;
            }

            current.Model.Current = model;
            current.Capture.Reset();
            current.Session.Options.Timeout = Relaxed;
            return (current.Session, current.Capture);
        }

        public static void Drop() => s_current = null;
    }

    /// <summary>Substitutes the case's folder and sink into its code: <c>$ROOT</c>, <c>$SINK</c>.</summary>
    public static string Expand(string code, CaseRequest request) =>
        code.Replace("$ROOT", request.Root.Replace("\\", "\\\\", StringComparison.Ordinal), StringComparison.Ordinal)
            .Replace("$SINK", request.SinkUrl, StringComparison.Ordinal)
            .Replace("$PORT", new Uri(request.SinkUrl).Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static async Task AttackAsync(HostileCase hostile, string code, AgentSession session, Kit kit, CaseReport report)
    {
        if (hostile.ViaModel)
        {
            try
            {
                report.Value = await ModelPath.AskAsync(hostile, kit);
                report.Outcome = Outcome.Accepted;
            }
            catch (Exception ex)
            {
                Classify(ex, report);
            }

            return;
        }

        try
        {
            await ExecuteAsync(hostile, code, session, kit, report);
        }
        catch (Exception ex)
        {
            // ExecuteAsync reports how code ended in its result; an exception escaping it is a finding of its own.
            Classify(ex, report);
            report.Problems.Add($"ExecuteAsync threw {ex.GetType().FullName} instead of returning a result: {ex.Message}");
        }
    }

    private static async Task ExecuteAsync(HostileCase hostile, string code, AgentSession session, Kit kit, CaseReport report)
    {
        var values = kit.Bind(hostile.Values);
        switch (hostile.Type)
        {
            case "int": Classify(await session.ExecuteAsync<int>(code, values), report); break;
            case "long": Classify(await session.ExecuteAsync<long>(code, values), report); break;
            case "string": Classify(await session.ExecuteAsync<string>(code, values), report); break;
            case "object": Classify(await session.ExecuteAsync<object>(code, values), report); break;
            case "func":
                var func = await session.ExecuteAsync<Func<int, int>>(code, values);
                Classify(func, report);
                if (func.IsAccepted && func.Value is { } f)
                {
                    await CallLaterAsync("the returned function", () => f(1).ToString(CultureInfo.InvariantCulture), report);
                }

                break;
            case "seq":
                var seq = await session.ExecuteAsync<IEnumerable<int>>(code, values);
                Classify(seq, report);
                if (seq.IsAccepted && seq.Value is { } s)
                {
                    await CallLaterAsync("the returned sequence", () => s.Count().ToString(CultureInfo.InvariantCulture), report);
                }

                break;
            default: throw new ArgumentException($"Unknown result type '{hostile.Type}' in case {hostile.Name}.", nameof(hostile));
        }
    }

    /// <summary>
    /// A delegate or lazy sequence that left an accepted fill and runs away when the program uses it later: it must
    /// run under a budget (and throw when that runs out), never spin forever in the caller.
    /// </summary>
    private static async Task CallLaterAsync(string what, Func<string> use, CaseReport report)
    {
        var call = Task.Run(use);
        if (await Task.WhenAny(call, Task.Delay(Relaxed)) != call)
        {
            report.Problems.Add($"{what} ran away when called after the hole: it did not stop within {Relaxed.TotalSeconds:0} s");
            report.Recycle = true;
            return;
        }

        try
        {
            report.Problems.Add($"{what} ran to completion: {await call}");
        }
        catch (Exception ex) when (ex is HoleException or OperationCanceledException)
        {
            // Stopped by its budget: HoleBudgetExceededException from the worker, OperationCanceledException (naming the
            // budget) in process.
            report.Notes.Add($"{what} was stopped when called: {ex.GetType().Name}");
            report.Outputs.Add(ex.ToString());
        }
        catch (Exception ex)
        {
            report.Problems.Add($"{what} failed with {ex.GetType().Name}, not a budget exception: {ex.Message}");
            report.Outputs.Add(ex.ToString());
        }
    }

    private static async Task ScenarioAsync(HostileCase hostile, string code, AgentSession session, Kit kit, CaseReport report)
    {
        switch (hostile.Scenario)
        {
            case "concurrent-increments":
            {
                // 16 fills increment one variable at once: every accepted one must count (no lost update).
                var runs = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => session.ExecuteAsync<int>(code))));
                var accepted = runs.Count(r => r.IsAccepted);
                report.Notes.Add($"{accepted} of 16 concurrent increments accepted");
                report.Outputs.AddRange(runs.Where(r => !r.IsAccepted).Select(r => $"{r.Status}: {string.Join("; ", r.Diagnostics)} {r.Exception?.Message}"));
                var counter = await session.ExecuteAsync<int>("return counter;");
                if (!counter.IsAccepted || counter.Value != accepted)
                {
                    report.Problems.Add($"after {accepted} accepted increments the counter is {counter.Value} ({counter.Status}): an update was lost");
                }

                report.Outcome = accepted == 16 ? Outcome.Accepted : Outcome.Faulted;
                break;
            }

            case "pool-secret":
            {
                // The attack keeps a pooled buffer after returning it; then the host puts its secret in pooled buffers.
                await AttackAsync(hostile, code, session, kit, report);
                for (var i = 0; i < 8; i++)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(1024);
                    Encoding.UTF8.GetBytes(kit.Secret, buffer);
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                break;
            }

            default:
                throw new ArgumentException($"Unknown scenario '{hostile.Scenario}' in case {hostile.Name}.", nameof(hostile));
        }
    }

    private static async Task CheckIntactAsync(HostileCase hostile, AgentSession session, CaseRequest request, CaseReport report)
    {
        var probe = await Guarded(() => session.ExecuteAsync<int>("var intactProbe = 40; return intactProbe + 2;"), report, "the benign hole after the attack");
        if (probe is null || !probe.IsAccepted || probe.Value != 42)
        {
            report.Problems.Add($"the same session did not run a benign hole correctly afterwards: {probe?.Status} {probe?.Value} {string.Join("; ", probe?.Diagnostics ?? [])} {probe?.Exception}");
        }
        else
        {
            session.RemoveVariable("intactProbe");
        }

        if (hostile.After is { } after)
        {
            var check = await Guarded(() => session.ExecuteAsync<string>(Expand(after.Code, request)), report, "the after check");
            var value = check?.IsAccepted == true ? check.Value : $"{check?.Status}: {string.Join("; ", check?.Diagnostics ?? [])} {check?.Exception?.Message}";
            report.Outputs.Add("after: " + value);
            if (value != after.Expected)
            {
                report.Problems.Add($"the session is not as it was: '{after.Code}' gave '{value}', expected '{after.Expected}'");
            }
        }
    }

    private static async Task<HoleResult<T>?> Guarded<T>(Func<Task<HoleResult<T>>> start, CaseReport report, string what)
    {
        var run = Task.Run(start);
        if (await Task.WhenAny(run, Task.Delay(Relaxed)) != run)
        {
            report.Problems.Add($"{what} did not return within {Relaxed.TotalSeconds:0} s");
            report.Recycle = true;
            return null;
        }

        try
        {
            return await run;
        }
        catch (Exception ex)
        {
            report.Problems.Add($"{what} threw {ex}");
            return null;
        }
    }

    private static void Classify<T>(HoleResult<T> result, CaseReport report)
    {
        switch (result.Status)
        {
            case HoleStatus.Accepted:
                report.Outcome = Outcome.Accepted;
                report.Value = Describe(result.Value);
                break;
            case HoleStatus.Rejected:
                report.Outcome = Outcome.Rejected;
                report.Diagnostics.AddRange(result.Diagnostics.Select(d => $"{d.Id}: {d.Message}"));
                break;
            default:
                Classify(result.Exception ?? new InvalidOperationException("(faulted without an exception)"), report);
                break;
        }
    }

    private static void Classify(Exception exception, CaseReport report)
    {
        report.ExceptionType = exception.GetType().FullName;
        report.Exception = exception.ToString();
        switch (exception)
        {
            case HoleBudgetExceededException or HoleTimeoutException:
                report.Outcome = Outcome.Budget;
                break;
            case HoleRejectedException rejected:
                report.Outcome = Outcome.Rejected;
                report.Diagnostics.AddRange(rejected.Attempts.SelectMany(a => a.Diagnostics).Select(d => $"{d.Id}: {d.Message}"));
                break;
            case HoleNoCodeException or HoleDepthExceededException:
                report.Outcome = Outcome.Rejected;
                break;
            case HoleCapabilityException capability when capability.Message.Contains("outside its capability bound", StringComparison.Ordinal):
                report.Outcome = Outcome.Rejected;
                break;
            default:
                report.Outcome = Outcome.Faulted;
                break;
        }
    }

    private static List<string> Variables(AgentSession session) =>
        [.. session.Variables.Select(v => $"{v.Name}: {v.TypeName} = {Describe(v.Value)}")];

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => s,
        // Only collections: a lazy sequence a fill returned may never end.
        System.Collections.ICollection c => "[" + string.Join(", ", c.Cast<object?>().Take(50).Select(x => x?.ToString())) + "]",
        _ => value.ToString() ?? "",
    };
}
