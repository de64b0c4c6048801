namespace Holes;

/// <summary>The outcome of running code through the fill pipeline with <see cref="AgentSession.ExecuteAsync{T}"/>.</summary>
/// <typeparam name="T">The type the code had to produce.</typeparam>
public sealed class HoleResult<T>
{
    internal HoleResult(HoleStatus status, T? value, IReadOnlyList<HoleDiagnostic> diagnostics, Exception? exception, string code)
    {
        Status = status;
        Value = value;
        Diagnostics = diagnostics;
        Exception = exception;
        Code = code;
    }

    /// <summary>Whether the code was accepted and ran, was rejected before running, or faulted while running.</summary>
    public HoleStatus Status { get; }

    /// <summary>The value the code returned; <see langword="default"/> unless <see cref="Status"/> is <see cref="HoleStatus.Accepted"/>.</summary>
    public T? Value { get; }

    /// <summary>Why the code was rejected; empty when it was accepted.</summary>
    public IReadOnlyList<HoleDiagnostic> Diagnostics { get; }

    /// <summary>What the code threw when <see cref="Status"/> is <see cref="HoleStatus.Faulted"/>.</summary>
    public Exception? Exception { get; }

    /// <summary>The 1-based line of the code that threw, when <see cref="Status"/> is <see cref="HoleStatus.Faulted"/> and it is known.</summary>
    internal int? FaultLine { get; init; }

    /// <summary>For a fill cancelled before it ran: what the engine was doing (compiling, waiting to commit).</summary>
    internal string? Stage { get; init; }

    /// <summary>The code that was submitted.</summary>
    public string Code { get; }

    /// <summary>Whether <see cref="Status"/> is <see cref="HoleStatus.Accepted"/>.</summary>
    public bool IsAccepted => Status == HoleStatus.Accepted;

    /// <summary>Returns <see cref="Value"/>, or throws a descriptive exception when the code was not accepted.</summary>
    /// <returns>The value the code returned.</returns>
    /// <exception cref="InvalidOperationException">The code was rejected; the message lists the diagnostics.</exception>
    /// <exception cref="HoleFaultedException">The code threw while running.</exception>
    /// <exception cref="HoleBudgetExceededException">The code ran out of a budget in the isolated worker.</exception>
    public T GetValueOrThrow() => Status switch
    {
        HoleStatus.Accepted => Value!,
        HoleStatus.Faulted => throw (HoleException?)(Exception as HoleFaultedException) ?? (HoleException?)(Exception as HoleBudgetExceededException) ?? new HoleFaultedException("The code faulted.", Exception),
        _ => throw new InvalidOperationException(
            "The code was rejected before it ran:" + Environment.NewLine + string.Join(Environment.NewLine, Diagnostics)),
    };
}
