using Holes.Capabilities;
using Microsoft.Extensions.AI;

namespace Holes;

/// <summary>Options that govern how holes are filled in an <see cref="AgentSession"/>.</summary>
public sealed class HoleOptions
{
    /// <summary>The configuration section <c>services.AddHoles()</c> binds these options from: <c>Holes</c>.</summary>
    public const string ConfigurationSectionName = "Holes";

    /// <summary>How many fills the model may propose for one hole before it is rejected. Default 4.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>How deeply holes may nest (a fill that calls <c>agent&lt;T&gt;</c> is one level deeper). Default 8.</summary>
    public int MaxDepth { get; set; } = 8;

    /// <summary>The default of <see cref="Timeout"/>: 10 minutes.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The default of <see cref="ModelTimeout"/>: 2 minutes.</summary>
    public static readonly TimeSpan DefaultModelTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The time one hole may take, from its first model call until its fill has run (nested holes included), over
    /// all its attempts; for <see cref="AgentSession.ExecuteAsync{T}"/>, the time its code may run. Default
    /// <see cref="DefaultTimeout"/> (10 minutes); <see langword="null"/> means no limit beyond the caller's
    /// cancellation token (in process; the isolated worker always has one). When it runs out while the fill runs, the
    /// hole throws <see cref="HoleBudgetExceededException"/> (the hole returns at once; the fill stops at its next
    /// budget check); while waiting for the model or compiling, <see cref="HoleTimeoutException"/> naming this option.
    /// Nothing is committed either way. Functions and lazy sequences a fill hands out get this long per call.
    /// </summary>
    public TimeSpan? Timeout { get; set; } = DefaultTimeout;

    /// <summary>
    /// The time one model call may take before it is abandoned. Default <see cref="DefaultModelTimeout"/>
    /// (2 minutes); <see langword="null"/> means no limit of its own (the hole's <see cref="Timeout"/> still
    /// applies). A call that runs out is not retried: the hole throws <see cref="HoleTimeoutException"/> naming
    /// this option. Raise it for slow local models.
    /// </summary>
    public TimeSpan? ModelTimeout { get; set; } = DefaultModelTimeout;

    /// <summary>
    /// How transient provider failures (HTTP 429 and 5xx, a dropped connection) are retried. Retries do not use up
    /// the hole's <see cref="MaxAttempts"/>: they repeat the same request.
    /// </summary>
    public ModelRetryOptions ModelRetry { get; set; } = new();

    /// <summary>
    /// Told what each hole is doing as it happens: started, waiting for the model (which one, which attempt),
    /// retrying, checking, running, filled or failed. Use it to show progress of a long workflow.
    /// <see langword="null"/> (the default) reports nothing. Reports are made synchronously on the hole's thread;
    /// <see cref="Progress{T}"/> moves them to the captured context or the thread pool.
    /// </summary>
    public IProgress<HoleProgress>? Progress { get; set; }

    /// <summary>
    /// When <see langword="true"/>, an exception thrown by an accepted fill is shown to the model, which gets another
    /// attempt. When <see langword="false"/> (the default), it propagates as a <see cref="HoleFaultedException"/>.
    /// </summary>
    public bool RetryOnRuntimeException { get; set; }

    /// <summary>What fills may touch. Defaults to <see cref="CapabilityPolicy.Default"/>.</summary>
    public CapabilityPolicy Policy { get; set; } = CapabilityPolicy.Default;

    /// <summary>
    /// Chat options sent with every model call (model id, temperature, ...). The engine adds its response format;
    /// everything else is passed through unchanged.
    /// </summary>
    public ChatOptions? ChatOptions { get; set; }

    /// <summary>
    /// When <see langword="true"/> (the default) the model is asked for a JSON object through
    /// <see cref="ChatResponseFormat.ForJsonSchema(System.Text.Json.JsonElement, string?, string?)"/>.
    /// Turn it off for providers that reject response schemas; code is then taken from a fenced block.
    /// </summary>
    public bool UseStructuredOutput { get; set; } = true;

    /// <summary>
    /// Where accepted fills run: <see cref="HoleIsolation.InProcess"/> (the default) or <see cref="HoleIsolation.Process"/>,
    /// a worker process per session (under bubblewrap on Linux where it works). See docs/security.md.
    /// </summary>
    public HoleIsolation Isolation { get; set; } = HoleIsolation.InProcess;

    /// <summary>
    /// With <see cref="HoleIsolation.Process"/>: the CPU time one fill may use in the worker before the kernel stops it
    /// (<c>RLIMIT_CPU</c>, whole seconds, Linux only). <see langword="null"/> (the default) means the fill's wall-time
    /// budget. Ignored in process.
    /// </summary>
    public TimeSpan? CpuTimeLimit { get; set; }

    /// <summary>
    /// With <see cref="HoleIsolation.Process"/>: the hard limit of the worker's managed heap, in bytes
    /// (<c>DOTNET_GCHeapHardLimit</c>). A fill that needs more is stopped and the worker replaced. Default 1 GiB.
    /// Ignored in process.
    /// </summary>
    public long WorkerMemoryLimit { get; set; } = 1L << 30;

    /// <summary>
    /// Receives one-line notes about the session's machinery: the isolated worker's protections when it starts, a
    /// worker replaced after a budget ran out, variables lost with it. <see langword="null"/> (the default) writes them
    /// to <see cref="System.Diagnostics.Trace"/>.
    /// </summary>
    public Action<string>? Log { get; set; }

    /// <summary>
    /// The wall time a fill may run in the isolated worker when <see cref="Timeout"/> is <see langword="null"/>:
    /// a worker must always be stoppable, so <see cref="HoleIsolation.Process"/> never runs a fill without a limit.
    /// </summary>
    internal static readonly TimeSpan DefaultIsolatedTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Test hook: run the worker as a plain child process even where bubblewrap works.</summary>
    internal bool SandboxDisabled { get; set; }

    /// <summary>Test hook: the worker's entry assembly, instead of looking for Holes.Worker.dll beside the application.</summary>
    internal string? WorkerPath { get; set; }

    /// <summary>
    /// What each of the session's models is for, by key (<c>default</c> for the session's own client): fills read it when
    /// they choose a model for their nested holes. Used for models whose <see cref="AgentModel.Description"/> is empty,
    /// such as the keyed chat clients <c>AddHoles()</c> picks up; bind it from configuration
    /// (<c>"ModelDescriptions": { "fast": "cheap and quick: summaries, lookups" }</c>).
    /// </summary>
    public IDictionary<string, string> ModelDescriptions { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// What each hole may spend, together with every hole nested below it: input and output tokens, and nested holes.
    /// Checked before every model call; when it runs out, the hole throws <see cref="HoleBudgetExceededException"/> and
    /// the hole that ran out commits nothing. <see langword="null"/> (the default) means no limit.
    /// </summary>
    public HoleBudget? Budget { get; set; }

    /// <summary>
    /// What the whole session may spend over its life: input and output tokens, and nested holes. Checked before every
    /// model call, like <see cref="Budget"/>. <see langword="null"/> (the default) means no limit.
    /// </summary>
    public HoleBudget? SessionBudget { get; set; }

    internal void Validate()
    {
        if (MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "HoleOptions.MaxAttempts must be at least 1.");
        }

        if (MaxDepth < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDepth), MaxDepth, "HoleOptions.MaxDepth must be at least 1.");
        }

        if (Timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), t, "HoleOptions.Timeout must be positive, or null for no limit.");
        }

        if (CpuTimeLimit is { } cpu && cpu <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CpuTimeLimit), cpu, "HoleOptions.CpuTimeLimit must be positive, or null for the fill's wall-time budget.");
        }

        if (WorkerMemoryLimit < 32L << 20)
        {
            throw new ArgumentOutOfRangeException(nameof(WorkerMemoryLimit), WorkerMemoryLimit, "HoleOptions.WorkerMemoryLimit must be at least 32 MB (33554432 bytes): the worker's runtime needs that much itself.");
        }

        if (!Enum.IsDefined(Isolation))
        {
            throw new ArgumentOutOfRangeException(nameof(Isolation), Isolation, "HoleOptions.Isolation must be HoleIsolation.InProcess or HoleIsolation.Process.");
        }
        if (ModelTimeout is { } m && (m < TimeSpan.FromMilliseconds(10) || m > TimeSpan.FromDays(1)))
        {
            throw new ArgumentOutOfRangeException(nameof(ModelTimeout), m, "HoleOptions.ModelTimeout must be between 10 ms and 1 day, or null for no limit of its own.");
        }

        ArgumentNullException.ThrowIfNull(ModelRetry, nameof(ModelRetry));
        ModelRetry.Validate();

        ArgumentNullException.ThrowIfNull(Policy, nameof(Policy));
        Budget?.Validate(nameof(Budget));
        SessionBudget?.Validate(nameof(SessionBudget));
    }
}
