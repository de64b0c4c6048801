namespace Holes;

/// <summary>
/// A hole ran out of time: the whole hole exceeded <see cref="HoleOptions.Timeout"/>, or one model call exceeded
/// <see cref="HoleOptions.ModelTimeout"/>. <see cref="Limit"/> names which. Nothing was committed.
/// </summary>
public sealed class HoleTimeoutException : HoleException
{
    internal HoleTimeoutException(string location, string task, TimeSpan timeout, string stage, Exception? inner)
        : this(location, task, nameof(HoleOptions) + "." + nameof(HoleOptions.Timeout), timeout, stage, inner)
    {
    }

    internal HoleTimeoutException(string location, string task, string limit, TimeSpan timeout, string stage, Exception? inner)
        : base(location, task, Describe(location, task, limit, timeout, stage), inner)
    {
        Timeout = timeout;
        Stage = stage;
        Limit = limit;
    }

    /// <summary>The limit that was exceeded.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>What the hole was doing when time ran out: waiting for the model, or running the fill.</summary>
    public string Stage { get; }

    /// <summary>Which option set the limit: <c>HoleOptions.Timeout</c> (the whole hole) or <c>HoleOptions.ModelTimeout</c> (one model call).</summary>
    public string Limit { get; }

    internal static string Duration(TimeSpan value) =>
        value.TotalSeconds < 1 ? $"{value.TotalMilliseconds:0.###} ms" :
        value.TotalMinutes < 2 ? $"{value.TotalSeconds:0.###} s" : $"{value.TotalMinutes:0.##} min";

    private static string Describe(string location, string task, string limit, TimeSpan timeout, string stage) =>
        limit.EndsWith(nameof(HoleOptions.ModelTimeout), StringComparison.Ordinal)
            ? $"The model did not answer the hole at {location} (\"{task}\") within {limit} = {Duration(timeout)} ({stage}). " +
              $"Nothing was committed. Check that the provider's endpoint is up and the model loaded, or raise {limit} for a slow model."
            : $"The hole at {location} (\"{task}\") did not finish within {limit} = {Duration(timeout)} (it was {stage}). " +
              $"Nothing was committed. Raise {limit} or split the task into smaller holes.";
}
