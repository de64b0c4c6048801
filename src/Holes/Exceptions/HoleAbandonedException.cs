namespace Holes;

/// <summary>The model said the hole cannot be filled with what it was given, and why. Nothing changed.</summary>
public sealed class HoleAbandonedException : HoleException
{
    internal HoleAbandonedException(string location, string task, string reason)
        : base(location, task,
            $"The model gave up on the hole at {location} (\"{task}\"): {reason} " +
            "Hand the hole the values or capabilities it needs, or rephrase the task.")
    {
        Reason = reason;
    }

    /// <summary>The model's reason for giving up.</summary>
    public string Reason { get; }
}
