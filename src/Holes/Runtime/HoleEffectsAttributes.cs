using System.ComponentModel;

namespace Holes.Runtime;

/// <summary>
/// Emitted by the Holes source generator into a program that uses holes: the program's source was analysed for
/// effects, and the <see cref="HoleEffectAttribute"/> and <see cref="HoleEffectFreeAttribute"/> entries of this
/// assembly are complete. The runtime verifier reads them instead of re-deriving the classification.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class HoleEffectsAnalyzedAttribute : Attribute
{
}

/// <summary>
/// Emitted by the Holes source generator: a type of the program is authority (<c>T:</c> id), or a member reaches an
/// effect, with the path that proves it (for example <c>Shell.Run → System.Diagnostics.Process.Start</c>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class HoleEffectAttribute : Attribute
{
    /// <summary>Records an effect.</summary>
    /// <param name="symbol">The documentation comment id of the type or member.</param>
    /// <param name="path">The chain of calls from the symbol to the effect.</param>
    public HoleEffectAttribute(string symbol, string path)
    {
        Symbol = symbol;
        Path = path;
    }

    /// <summary>The documentation comment id of the type or member.</summary>
    public string Symbol { get; }

    /// <summary>The chain of calls from the symbol to the effect.</summary>
    public string Path { get; }
}

/// <summary>
/// Emitted by the Holes source generator: a static member of the program that is proven effect-free, transitively
/// through the program's source, so fills may call it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class HoleEffectFreeAttribute : Attribute
{
    /// <summary>Records an effect-free member.</summary>
    /// <param name="symbol">The documentation comment id of the member.</param>
    public HoleEffectFreeAttribute(string symbol) => Symbol = symbol;

    /// <summary>The documentation comment id of the member.</summary>
    public string Symbol { get; }
}
