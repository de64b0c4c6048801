namespace Holes;

/// <summary>How a hole or an <see cref="AgentSession.ExecuteAsync{T}"/> call ended.</summary>
public enum HoleStatus
{
    /// <summary>The code passed every check, ran to completion and its variables were committed.</summary>
    Accepted,

    /// <summary>The code was rejected before it ran (it did not compile or broke the capability bound). Nothing changed.</summary>
    Rejected,

    /// <summary>The code passed every check but threw, or was cancelled, while running. Nothing was committed.</summary>
    Faulted,
}
