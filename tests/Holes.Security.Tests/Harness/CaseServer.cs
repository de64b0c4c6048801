using System.Text;

namespace Holes.Security.Tests.Harness;

/// <summary>
/// The child process: reads one <see cref="CaseRequest"/> per line, runs it, writes one <see cref="CaseReport"/> per
/// line. It exits after a case that may have left something running (or changed process-wide state), and the test
/// host starts a fresh one.
/// </summary>
internal static class CaseServer
{
    public static async Task<int> RunAsync()
    {
        // The protocol has stdout to itself: whatever else writes to the console (a fill, the engine) goes to stderr,
        // where the test host reads it as stray output and checks it for the secret too.
        var protocol = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
        var input = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
        Console.SetOut(Console.Error);

        await WarmUpAsync();
        var baseline = ProcessProbe.Take();
        await protocol.WriteLineAsync(Wire.ReadyMarker);
        while (await input.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var request = Wire.Read<CaseRequest>(line);
            CaseReport report;
            try
            {
                report = await CaseRunner.RunAsync(request, baseline);
            }
            catch (Exception ex)
            {
                report = new CaseReport { Recycle = true };
                report.Problems.Add("the harness failed in the child: " + ex);
            }

            await protocol.WriteLineAsync(Wire.ReportMarker + Wire.Write(report));
            if (report.Recycle)
            {
                break;
            }
        }

        // Exit hard: a thread a fill left spinning must not keep this process alive.
        Environment.Exit(0);
        return 0;
    }

    /// <summary>Compiles and runs one fill first, so a case's short budget is not spent on the compiler's first start.</summary>
    private static async Task WarmUpAsync()
    {
        await using var session = new AgentSession(new Holes.Testing.ScriptedChatClient());
        var warm = await session.ExecuteAsync<string>("var xs = new List<int> { 3, 1, 2 }; return string.Join(\",\", xs.OrderBy(x => x).Select(x => $\"{x}\"));");
        if (!warm.IsAccepted)
        {
            throw new InvalidOperationException($"The child's warm-up fill was not accepted: {warm.Status} {string.Join("; ", warm.Diagnostics)} {warm.Exception}");
        }
    }
}
