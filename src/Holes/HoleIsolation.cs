namespace Holes;

/// <summary>Where accepted fills run. Set with <see cref="HoleOptions.Isolation"/>.</summary>
public enum HoleIsolation
{
    /// <summary>
    /// In the host process (the default): fastest, and the capability check is a strong filter, but not a boundary.
    /// A fill that never reaches a budget check, overflows the stack or exhausts memory takes the process with it.
    /// </summary>
    InProcess = 0,

    /// <summary>
    /// In a worker process per session, under bubblewrap on Linux where it works: no network, a read-only file system,
    /// its own PID namespace, CPU-time and memory limits. Roslyn stays in the host; the fill's checked IL is shipped to
    /// the worker. A fill that runs out of a budget kills only the worker, which is replaced; the session goes on.
    /// See <see cref="AgentSession.Protections"/> for what is in force, and docs/security.md.
    /// </summary>
    Process = 1,
}
