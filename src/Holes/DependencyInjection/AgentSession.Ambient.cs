using Holes.Runtime;

namespace Holes;

/// <summary>How <c>agent&lt;T&gt;</c> finds its session: the enclosing fill's, then <see cref="Current"/>, then <see cref="Default"/>.</summary>
public sealed partial class AgentSession
{
    private static AgentSession? s_default;
    private static WeakReference<AgentSession>? s_lastAssigned;

    /// <summary>
    /// The process-wide session that holes use when no other is current: not inside a fill, and no
    /// <see cref="Current"/> set on their async flow. Unlike <see cref="Current"/> it is one value for every thread
    /// and task, so it cannot be lost across <c>await</c>. <c>services.AddHoles()</c> sets it to the registered
    /// session when the host starts (or when the session is first resolved). Disposing the session clears it.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The session being set was disposed.</exception>
    public static AgentSession? Default
    {
        get => Volatile.Read(ref s_default) is { IsDisposed: false } session ? session : null;
        set
        {
            if (value is { IsDisposed: true })
            {
                throw new ObjectDisposedException(nameof(AgentSession), "A disposed AgentSession cannot be made the default.");
            }

            Volatile.Write(ref s_default, value);
        }
    }

    /// <summary>The session a hole outside any fill uses: <see cref="Current"/>, else <see cref="Default"/>.</summary>
    internal static AgentSession? Ambient => s_current.Value ?? Default;

    /// <summary>
    /// Makes this session <see cref="Current"/> until the returned scope is disposed, then restores the previous
    /// one. Holes awaited inside the <c>using</c> block, and tasks started there, use this session:
    /// <code>
    /// using (session.Enter())
    /// {
    ///     var summary = await agent&lt;string&gt;("summarise text", text);
    /// }
    /// </code>
    /// Call it in the method that awaits the holes: like <see cref="Current"/>, what an async method sets does not
    /// flow back to its caller.
    /// </summary>
    /// <returns>The scope; dispose it to restore the previous <see cref="Current"/>.</returns>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public IDisposable Enter()
    {
        ThrowIfDisposed();
        var previous = s_current.Value;
        Current = this;
        return new Scope(this, previous);
    }

    /// <summary>
    /// A session that was made current (or entered) and is still alive, though no session is current where a hole
    /// looked for one: the setting did not flow to that hole. <see langword="null"/> when there is none.
    /// </summary>
    internal static AgentSession? Stranded() =>
        s_lastAssigned is { } weak && weak.TryGetTarget(out var session) && !session.IsDisposed ? session : null;

    /// <summary>The error for a hole that found no session, saying truthfully why.</summary>
    internal static HoleSessionMissingException Missing(string location, string task) => new(location, task, Stranded() is not null);

    private static void Assigned(AgentSession? value)
    {
        if (value is not null)
        {
            s_lastAssigned = new WeakReference<AgentSession>(value);
        }
    }

    private void ClearDefault() => Interlocked.CompareExchange(ref s_default, null, this);

    private sealed class Scope(AgentSession session, AgentSession? previous) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0 && ReferenceEquals(s_current.Value, session))
            {
                s_current.Value = previous;
            }
        }
    }
}
