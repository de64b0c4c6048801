namespace Holes;

/// <summary>Every attempt at a hole was rejected before it ran. Nothing in the session changed.</summary>
public class HoleRejectedException : HoleException
{
    internal HoleRejectedException(string location, string task, IReadOnlyList<HoleAttempt> attempts, string? advice = null)
        : base(location, task, Describe(location, task, attempts, advice))
    {
        Attempts = attempts;
    }

    /// <summary>Every attempt, in order, with its code and the diagnostics that rejected it.</summary>
    public IReadOnlyList<HoleAttempt> Attempts { get; }

    private static string Describe(string location, string task, IReadOnlyList<HoleAttempt> attempts, string? advice)
    {
        var last = attempts.Count > 0 ? attempts[^1] : null;
        var reasons = last is null ? "" : string.Join(Environment.NewLine, last.Diagnostics.Select(d => "  " + d));
        return $"The hole at {location} (\"{task}\") was rejected {attempts.Count} time(s); nothing ran and the session is unchanged. " +
               $"Last attempt's diagnostics:{Environment.NewLine}{reasons}{Environment.NewLine}" +
               (advice ?? "Make the task more specific, hand the hole the values it needs, or raise HoleOptions.MaxAttempts.");
    }
}
