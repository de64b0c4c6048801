namespace Holes;

/// <summary>An accepted fill threw while running. Nothing it declared was committed; the cause is the inner exception.</summary>
public sealed class HoleFaultedException : HoleException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">What the fill threw.</param>
    public HoleFaultedException(string message, Exception? innerException) : base(message, innerException) => Code = "";

    internal HoleFaultedException(string location, string task, string code, int? line, Exception inner)
        : base(location, task,
            $"The fill for the hole at {location} (\"{task}\") threw {inner.GetType().Name}" +
            (line is { } l ? $" at line {l} of the fill" : "") + $": {Pipeline.Run.HostPaths.Strip(inner.Message)} " +
            "Nothing it declared was committed. Set HoleOptions.RetryOnRuntimeException to let the model try again, or catch this exception.",
            inner)
    {
        Code = code;
        FillLine = line;
    }

    /// <summary>The code that threw.</summary>
    public string Code { get; }

    /// <summary>The 1-based line of the fill that threw, when known.</summary>
    public int? FillLine { get; }
}
