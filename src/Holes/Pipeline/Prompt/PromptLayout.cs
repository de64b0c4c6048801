namespace Holes.Pipeline.Prompt;

/// <summary>How a hole's user message is laid out.</summary>
internal enum PromptLayout
{
    /// <summary>
    /// The session's context first (the program's types, capability APIs, the source around its holes; shared by
    /// every hole of the session and only ever extended), then what is specific to this hole. Providers cache the
    /// shared prefix. The default.
    /// </summary>
    SessionContext,

    /// <summary>
    /// Everything about the hole in one message of its own, as before the session context existed. Kept so the
    /// prompt-cost benchmark can measure both layouts in one run; not a supported option.
    /// </summary>
    PerHole,
}

/// <summary>Which layout new sessions use.</summary>
internal static class PromptLayouts
{
    /// <summary>
    /// Set by the prompt-cost benchmark (benchmarks/Holes.Benchmarks) around a run of the Quickstart, which creates
    /// its own session: sessions created while it is set use this layout. <see langword="null"/> (always, outside
    /// that benchmark) means <see cref="PromptLayout.SessionContext"/>.
    /// </summary>
    public static PromptLayout? Override { get; set; }

    public static PromptLayout ForNewSession => Override ?? PromptLayout.SessionContext;
}
