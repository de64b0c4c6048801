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
/// <para>
/// <see cref="ToString"/> is masked, equality is by reference (no guessing oracle), and an exception thrown inside a
/// transform is replaced by a <see cref="ClassifiedException"/> that carries neither its message nor its stack.
/// </para>
/// <para>
/// Inside a fill even <em>whether</em> a transform threw is classified: a transform that throws there gives a failed
/// value instead of an exception (later transforms pass the failure on without running), and the
/// <see cref="ClassifiedException"/> surfaces only where the value is revealed, in a trusted sink. Otherwise a fill
/// could read the content one bit at a time (throw when character <c>i</c> is <c>c</c>, catch, repeat). Host code
/// outside a fill gets the <see cref="ClassifiedException"/> at once.
/// </para>
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class Classified<T>
{
    private readonly T _value;

    // Set instead of the value when a transform inside a fill threw; thrown by Reveal.
    private readonly ClassifiedException? _fault;

    /// <summary>Wraps <paramref name="value"/> as classified.</summary>
    /// <param name="value">The value to protect.</param>
    public Classified(T value) => _value = value;

    private Classified(ClassifiedException fault)
    {
        _value = default!;
        _fault = fault;
    }

    /// <summary>The failure a transform inside a fill produced instead of a value, if any (for the wire format and trusted sinks).</summary>
    internal ClassifiedException? Fault => _fault;

    /// <summary>A value whose transform failed inside a fill.</summary>
    internal static Classified<T> Failed(ClassifiedException fault) => new(fault);

    /// <summary>Transforms the value inside with a pure function; the result stays classified.</summary>
    /// <typeparam name="TResult">The type of the transformed value.</typeparam>
    /// <param name="transform">A pure function: it uses no capability, writes no captured or static state and calls no impure hole.</param>
    /// <returns>The transformed value, still classified.</returns>
    /// <exception cref="ClassifiedException"><paramref name="transform"/> threw; the original exception is withheld.</exception>
    public Classified<TResult> Map<TResult>(Func<T, TResult> transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        if (_fault is not null)
        {
            return Classified<TResult>.Failed(_fault);
        }

        try
        {
            return new Classified<TResult>(transform(_value));
        }
        catch (Exception ex)
        {
            return Fail<TResult>(ex, nameof(Map));
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
        if (_fault is not null)
        {
            return Classified<TResult>.Failed(_fault);
        }

        try
        {
            return transform(_value) ?? throw new InvalidOperationException("FlatMap's transform returned null.");
        }
        catch (Exception ex)
        {
            return Fail<TResult>(ex, nameof(FlatMap));
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
        if (_fault is not null)
        {
            return Classified<TResult>.Failed(_fault);
        }

        try
        {
            return new Classified<TResult>(await transform(_value).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (Runtime.FillBudget.Current is null)
        {
            // Host code: cancellation stays cancellation (its message is the caller's own token's).
            throw;
        }
        catch (Exception ex)
        {
            return Fail<TResult>(ex, nameof(MapAsync));
        }
    }

    /// <summary>
    /// The value inside, for a trusted sink's own code. Fill code may never call this, and the Holes analyzers flag a
    /// call outside a member marked <see cref="TrustedSinkAttribute"/>.
    /// </summary>
    /// <returns>The unprotected value.</returns>
    /// <exception cref="ClassifiedException">A transform that produced this value inside a fill threw.</exception>
    public T Reveal() => _fault is null ? _value : throw _fault;

    /// <summary>
    /// A transform threw: outside a fill, a <see cref="ClassifiedException"/> now; inside one, a failed value, so the
    /// fill cannot tell (see the remarks on <see cref="Classified{T}"/>). A fill whose budget has run out stops as usual.
    /// </summary>
    private static Classified<TResult> Fail<TResult>(Exception thrown, string method)
    {
        var failure = ClassifiedException.From(thrown, method);
        var budget = Runtime.FillBudget.Current;
        if (budget is null)
        {
            throw failure;
        }

        budget.ThrowIfStopped();
        return Classified<TResult>.Failed(failure);
    }

    /// <summary>A masked text that names the type but never the content.</summary>
    /// <returns><c>Classified&lt;T&gt;(***)</c>.</returns>
    public override string ToString() => $"Classified<{typeof(T).Name}>(***)";
}
