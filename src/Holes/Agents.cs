using System.Runtime.CompilerServices;
using Holes.Pipeline.Model;
using Holes.Pipeline.Nesting;
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

    /// <summary>
    /// Fills the holes reached in the <c>using</c> block (and the tasks started there) with the session's model of
    /// <paramref name="key"/>. In a fill, this is how the code picks a model for its nested holes: the hole's message
    /// lists the models and what each is for. In a program, <see cref="AgentSession.UseModel"/> does the same for a
    /// session of your choosing; this uses the session holes here would use.
    /// </summary>
    /// <example>
    /// <code>
    /// using (model("fast"))
    /// {
    ///     summaries = await Task.WhenAll(docs.Select(doc => agent&lt;string&gt;("summarise doc in one line", doc)));
    /// }
    /// </code>
    /// </example>
    /// <param name="key">A key of the session's models (<see cref="AgentSession.Models"/>).</param>
    /// <param name="callerFilePath">Filled in by the compiler; names the call in errors.</param>
    /// <param name="callerLineNumber">Filled in by the compiler; names the call in errors.</param>
    /// <returns>The scope; dispose it to go back to the model chosen before.</returns>
    /// <exception cref="HoleModelNotFoundException">The session has no model with that key.</exception>
    /// <exception cref="HoleSessionMissingException">There is no session here.</exception>
    public static IDisposable model(string key, [CallerFilePath] string callerFilePath = "", [CallerLineNumber] int callerLineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hole = HoleContext.Current;
        // Fills are compiled as fill.cs: in one, the call is named by its hole's site and its line in the fill.
        var location = hole is not null ? $"{hole.Site.Location}>{Path.GetFileName(callerFilePath)}:{callerLineNumber}"
            : callerFilePath.Length == 0 ? "" : $"{Path.GetFileName(callerFilePath)}:{callerLineNumber}";
        var session = hole?.Session ?? AgentSession.Ambient ?? throw AgentSession.Missing(location.Length == 0 ? "a model(key) call" : location, $"model(\"{key}\")");
        session.Engine.Models.Require(key, location, hole?.Task, hole is not null ? $"The code of the hole at {hole.Site.Location} (model(\"{key}\") at {location})" : $"model(\"{key}\") at {location}");
        return ModelScope.Open(session, key);
    }
#pragma warning restore IDE1006
}
