namespace Holes;

/// <summary>The base of every exception Holes throws. <see cref="Location"/> names the hole site as <c>file:line</c>.</summary>
public class HoleException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong, where, and what to do.</param>
    public HoleException(string message) : base(message) => Location = "";

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">What went wrong, where, and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public HoleException(string message, Exception? innerException) : base(message, innerException) => Location = "";

    /// <summary>Creates an exception tied to a hole site.</summary>
    /// <param name="location">The hole site as <c>file:line</c>.</param>
    /// <param name="task">The hole's task.</param>
    /// <param name="message">What went wrong, where, and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public HoleException(string location, string? task, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Location = location;
        Task = task;
    }

    /// <summary>The hole site as <c>file:line</c>; empty when the error is not tied to a site.</summary>
    public string Location { get; }

    /// <summary>The task of the hole, when there is one.</summary>
    public string? Task { get; }
}
