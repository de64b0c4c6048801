namespace Holes;

/// <summary>The severity of a <see cref="HoleDiagnostic"/>.</summary>
public enum HoleDiagnosticSeverity
{
    /// <summary>Informational; never rejects a fill.</summary>
    Info,

    /// <summary>A warning; never rejects a fill.</summary>
    Warning,

    /// <summary>An error; the fill is rejected.</summary>
    Error,
}

/// <summary>
/// A problem found in a fill before it ran: a compiler diagnostic (<c>CSxxxx</c>) or a Holes diagnostic
/// (<c>HOLExxxx</c>). Line and column are 1-based and relative to the submitted code.
/// </summary>
/// <param name="Id">The diagnostic id, e.g. <c>CS0103</c> or <c>HOLE1006</c>.</param>
/// <param name="Severity">Whether it rejects the fill.</param>
/// <param name="Message">What is wrong, in words the model (and you) can act on.</param>
/// <param name="Line">The 1-based line within the submitted code.</param>
/// <param name="Column">The 1-based column within the submitted code.</param>
public sealed record HoleDiagnostic(string Id, HoleDiagnosticSeverity Severity, string Message, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"({Line},{Column}): {Severity.ToString().ToLowerInvariant()} {Id}: {Message}";
}
