using System.Text.Json;
using System.Text.Json.Serialization;

namespace Holes.Security.Tests.Harness;

/// <summary>What the test host asks the child process to run: one hostile case in one mode.</summary>
/// <param name="Name">The case (looked up in <see cref="Cases.HostileCases.ByName"/>).</param>
/// <param name="Mode">Where the engine runs fills.</param>
/// <param name="Root">The case's own folder (see <see cref="CaseFolder"/>).</param>
/// <param name="SinkUrl">The loopback sink the test listens on; nothing may reach it.</param>
/// <param name="Secret">The secret of this case: in <c>.env</c>, in a classified value, in host static state, in the environment.</param>
public sealed record CaseRequest(string Name, HoleIsolation Mode, string Root, string SinkUrl, string Secret);

/// <summary>Everything the child saw while running a case; the test host asserts on it.</summary>
public sealed class CaseReport
{
    /// <summary>How the attack ended.</summary>
    public Outcome Outcome { get; set; }

    /// <summary>Set when the attack did not return within the child's guard.</summary>
    public bool Hung { get; set; }

    /// <summary>The exception's type name, if any.</summary>
    public string? ExceptionType { get; set; }

    /// <summary>The exception in full (<see cref="Exception.ToString"/>), if any.</summary>
    public string? Exception { get; set; }

    /// <summary>The rejection's diagnostics as <c>ID: message</c>.</summary>
    public List<string> Diagnostics { get; set; } = [];

    /// <summary>The value the attack returned, as text, if it was accepted.</summary>
    public string? Value { get; set; }

    /// <summary>How long the attack took, in milliseconds.</summary>
    public long ElapsedMilliseconds { get; set; }

    /// <summary>Problems found after the attack: the session not usable, a process-wide setting changed, a setup that failed.</summary>
    public List<string> Problems { get; set; } = [];

    /// <summary>Notes that do not fail the case (which scenario steps ran, what a residue left behind).</summary>
    public List<string> Notes { get; set; } = [];

    /// <summary>Log events from the session's ILogger and HoleOptions.Log.</summary>
    public List<string> Logs { get; set; } = [];

    /// <summary>Text of every span and event the session traced.</summary>
    public List<string> Traces { get; set; } = [];

    /// <summary>Every message of every request the scripted model received.</summary>
    public List<string> Prompts { get; set; } = [];

    /// <summary>Other outputs: session variables, the exploit's result, the after check's value.</summary>
    public List<string> Outputs { get; set; } = [];

    /// <summary>Whether the child should be replaced before the next case (a thread may still be running, or the process is damaged).</summary>
    public bool Recycle { get; set; }

    /// <summary>The protections the session reported (Process mode).</summary>
    public string? Protections { get; set; }
}

/// <summary>The line protocol between the test host and the child: one JSON object per line, marked so stray output cannot be mistaken for it.</summary>
public static class Wire
{
    public const string ReportMarker = "@@holes-security-report@@ ";
    public const string ReadyMarker = "@@holes-security-ready@@";

    public static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new InvalidOperationException("The child sent an empty message.");
}
