namespace Holes.Capabilities;

/// <summary>
/// A capability refused an operation because it lies outside what the program granted: a path outside the file
/// system's roots, a write through a read-only file system, a host off the network's allowlist, a command or argument
/// the process runner does not allow. The message names what was refused and what is allowed instead.
/// </summary>
/// <remarks>
/// Nothing was done when this is thrown: the check runs before any file is opened, any connection is made or any
/// process is started.
/// </remarks>
public sealed class CapabilityDeniedException : UnauthorizedAccessException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="capability">The capability that refused, e.g. <c>FileSystem</c>.</param>
    /// <param name="target">What was refused: a path, a URL, a command.</param>
    /// <param name="message">What was refused and what is allowed instead.</param>
    public CapabilityDeniedException(string capability, string target, string message)
        : base(message)
    {
        Capability = capability;
        Target = target;
    }

    /// <summary>The capability that refused, e.g. <c>FileSystem</c>, <c>Network</c>, <c>ProcessRunner</c>.</summary>
    public string Capability { get; }

    /// <summary>What was refused: the path, URL or command as the caller gave it.</summary>
    public string Target { get; }
}
