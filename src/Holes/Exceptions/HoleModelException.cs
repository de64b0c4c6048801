using Holes.Pipeline.Model;

namespace Holes;

/// <summary>The chat client threw while a hole was waiting for it. Nothing changed in the session.</summary>
public sealed class HoleModelException : HoleException
{
    internal HoleModelException(string location, string task, int attempt, Exception inner)
        : this(location, task, attempt, inner, tries: 1, "Check the chat client's configuration (endpoint, key, model id).")
    {
    }

    internal HoleModelException(string location, string task, int attempt, Exception inner, int tries, string advice)
        : base(location, task,
            $"The model call for the hole at {location} (\"{task}\", attempt {attempt}) failed" +
            (tries > 1 ? $" on all {tries} tries" : "") + $": {FailureText.Describe(inner)} " +
            $"Nothing changed in the session. {advice}",
            inner)
    {
        StatusCode = ProviderFailure.Status(inner);
        Tries = tries;
    }

    /// <summary>The HTTP status the provider answered with, when the chat client's exception says.</summary>
    public int? StatusCode { get; }

    /// <summary>How many times the request was sent: 1, plus the retries of transient failures.</summary>
    public int Tries { get; }
}
