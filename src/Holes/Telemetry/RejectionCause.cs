namespace Holes;

/// <summary>Why an attempt at a hole did not produce a value.</summary>
public enum RejectionCause
{
    /// <summary>The code did not compile (syntax, names, types, a result not convertible to the hole's type).</summary>
    Compile,

    /// <summary>The code compiled but broke the capability bound.</summary>
    Capability,

    /// <summary>The model's reply held no code.</summary>
    NoCode,

    /// <summary>The code ran and threw, and <see cref="HoleOptions.RetryOnRuntimeException"/> sent it back to the model.</summary>
    RuntimeException,
}
