using Holes.Runtime;

namespace Holes;

/// <summary>
/// The entry point of Holes: <c>await agent&lt;T&gt;(task, values...)</c> leaves a typed hole that a model fills
/// with C# code at run time. Import it with <c>using static Holes.Agents;</c>.
/// </summary>
public static class Agents
{
    /// <summary>
    /// Fills a typed hole: the model of the ambient <see cref="AgentSession.Current"/> writes C# that produces a
    /// <typeparamref name="T"/>, the code is type-checked and capability-checked, and only then run.
    /// </summary>
    /// <typeparam name="T">The type the hole must produce.</typeparam>
    /// <param name="task">What the code must do, in plain language.</param>
    /// <param name="values">Values the code may use. Each is visible to the fill under the name of its argument expression.</param>
    /// <returns>The value the accepted fill returned.</returns>
    /// <exception cref="HoleSessionMissingException">No session is set in <see cref="AgentSession.Current"/>.</exception>
    /// <exception cref="HoleRejectedException">Every attempt was rejected before it ran.</exception>
    /// <exception cref="HoleFaultedException">The accepted fill threw.</exception>
#pragma warning disable IDE1006 // The lower-case name is the programming model: holes read like a keyword.
    public static Task<T> agent<T>(string task, params object?[] values)
        => HoleDispatcher.FillAsync<T>(site: null, task, values, CancellationToken.None);

    /// <summary>Fills a typed hole, observing <paramref name="cancellationToken"/> in the model call and in the fill.</summary>
    /// <typeparam name="T">The type the hole must produce.</typeparam>
    /// <param name="task">What the code must do, in plain language.</param>
    /// <param name="cancellationToken">Cancels the model call and the running fill.</param>
    /// <param name="values">Values the code may use. Each is visible to the fill under the name of its argument expression.</param>
    /// <returns>The value the accepted fill returned.</returns>
    public static Task<T> agent<T>(string task, CancellationToken cancellationToken, params object?[] values)
        => HoleDispatcher.FillAsync<T>(site: null, task, values, cancellationToken);
#pragma warning restore IDE1006
}
