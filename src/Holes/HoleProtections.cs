namespace Holes;

/// <summary>
/// The protections in force around fills, as <see cref="AgentSession.Protections"/> reports them. It never claims a
/// protection that is not active: <see cref="None"/> in process, and without <see cref="Sandbox"/> where bubblewrap or
/// user namespaces are missing.
/// </summary>
[Flags]
public enum HoleProtections
{
    /// <summary>Fills run in the host process: only the capability check and the in-process budget checks apply.</summary>
    None = 0,

    /// <summary>Fills run in a separate worker process that the host kills when a budget runs out, and replaces.</summary>
    Killable = 1 << 0,

    /// <summary>The worker runs under bubblewrap (<c>bwrap</c>) in its own namespaces.</summary>
    Sandbox = 1 << 1,

    /// <summary>The worker has its own, empty network namespace: no interface but a downed loopback.</summary>
    NoNetwork = 1 << 2,

    /// <summary>The worker sees only the runtime, the application and system libraries, read-only.</summary>
    ReadOnlyFileSystem = 1 << 3,

    /// <summary>The worker's <c>/tmp</c> is a private, empty tmpfs that disappears with it.</summary>
    PrivateTemp = 1 << 4,

    /// <summary>The worker has its own PID namespace: it cannot see or signal the host's processes.</summary>
    PidNamespace = 1 << 5,

    /// <summary>The worker starts with an empty environment: no secrets in environment variables reach it.</summary>
    EmptyEnvironment = 1 << 6,

    /// <summary>The worker is killed by the kernel when the host process dies.</summary>
    DiesWithParent = 1 << 7,

    /// <summary>The kernel stops the worker when it exceeds its CPU time (<c>RLIMIT_CPU</c>, re-armed for every fill).</summary>
    CpuLimit = 1 << 8,

    /// <summary>The worker's managed heap has a hard limit (<c>DOTNET_GCHeapHardLimit</c>); exceeding it stops the fill and the worker.</summary>
    MemoryLimit = 1 << 9,
}
