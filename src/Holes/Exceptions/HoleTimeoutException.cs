namespace Holes;

/// <summary>A hole did not finish within <see cref="HoleOptions.Timeout"/>. Nothing was committed.</summary>
public sealed class HoleTimeoutException : HoleException
{
    internal HoleTimeoutException(string location, string task, TimeSpan timeout, string stage, Exception? inner)
        : base(location, task,
            $"The hole at {location} (\"{task}\") did not finish within {timeout.TotalSeconds:0.###} s (it was {stage}). " +
            "Nothing was committed. Raise HoleOptions.Timeout or split the task into smaller holes.",
            inner)
    {
        Timeout = timeout;
        Stage = stage;
    }

    /// <summary>The limit that was exceeded.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>What the hole was doing when time ran out: waiting for the model, or running the fill.</summary>
    public string Stage { get; }
}
