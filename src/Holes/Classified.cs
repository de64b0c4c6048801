using System.Diagnostics;

namespace Holes;

/// <summary>
/// A value that must not leave the program except through a <see cref="TrustedSinkAttribute"/>: a secret, a private
/// file, an untrusted mail whose text may carry a prompt injection. Fill code may transform it only with
/// <see cref="Map{TResult}"/>, <see cref="FlatMap{TResult}"/> and <see cref="MapAsync{TResult}"/> and lambdas the
/// verifier proves pure, and the result stays classified.
/// </summary>
/// <typeparam name="T">The type of the value inside.</typeparam>
/// <remarks>
/// <see cref="ToString"/> is masked, equality is by reference (no guessing oracle), and an exception thrown inside a
/// transform is replaced by a <see cref="ClassifiedException"/> that carries neither its message nor its stack.
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class Classified<T>
{
    private readonly T _value;

    /// <summary>Wraps <paramref name="value"/> as classified.</summary>
    /// <param name="value">The value to protect.</param>
    public Classified(T value) => _value = value;

    /// <summary>Transforms the value inside with a pure function; the result stays classified.</summary>
    /// <typeparam name="TResult">The type of the transformed value.</typeparam>
    /// <param name="transform">A pure function: it uses no capability, writes no captured or static state and calls no impure hole.</param>
    /// <returns>The transformed value, still classified.</returns>
    /// <exception cref="ClassifiedException"><paramref name="transform"/> threw; the original exception is withheld.</exception>
    public Classified<TResult> Map<TResult>(Func<T, TResult> transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        try
        {
            return new Classified<TResult>(transform(_value));
        }
        catch (Exception ex)
        {
            throw ClassifiedException.From(ex, nameof(Map));
        }
    }

    /// <summary>Transforms the value inside with a pure function that itself returns classified data.</summary>
    /// <typeparam name="TResult">The type of the transformed value.</typeparam>
    /// <param name="transform">A pure function returning a classified value.</param>
    /// <returns>The value <paramref name="transform"/> returned.</returns>
    /// <exception cref="ClassifiedException"><paramref name="transform"/> threw; the original exception is withheld.</exception>
    public Classified<TResult> FlatMap<TResult>(Func<T, Classified<TResult>> transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        try
        {
            return transform(_value) ?? throw new InvalidOperationException("FlatMap's transform returned null.");
        }
        catch (Exception ex)
        {
            throw ClassifiedException.From(ex, nameof(FlatMap));
        }
    }

    /// <summary>
    /// Transforms the value inside with a pure asynchronous function, for example one that asks a nested
    /// <c>agent&lt;T&gt;</c> whose fill is verified as pure; the result stays classified.
    /// </summary>
    /// <typeparam name="TResult">The type of the transformed value.</typeparam>
    /// <param name="transform">A pure asynchronous function.</param>
    /// <returns>The transformed value, still classified.</returns>
    /// <exception cref="ClassifiedException"><paramref name="transform"/> threw; the original exception is withheld.</exception>
    public async Task<Classified<TResult>> MapAsync<TResult>(Func<T, Task<TResult>> transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        try
        {
            return new Classified<TResult>(await transform(_value).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw ClassifiedException.From(ex, nameof(MapAsync));
        }
    }

    /// <summary>
    /// The value inside, for a trusted sink's own code. Fill code may never call this, and the Holes analyzers flag a
    /// call outside a member marked <see cref="TrustedSinkAttribute"/>.
    /// </summary>
    /// <returns>The unprotected value.</returns>
    public T Reveal() => _value;

    /// <summary>A masked text that names the type but never the content.</summary>
    /// <returns><c>Classified&lt;T&gt;(***)</c>.</returns>
    public override string ToString() => $"Classified<{typeof(T).Name}>(***)";
}
