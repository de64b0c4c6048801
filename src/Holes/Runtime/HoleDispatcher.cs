using System.ComponentModel;
using Holes.Pipeline.Compile;
using Holes.Pipeline.Nesting;
using Holes.Rules;

namespace Holes.Runtime;

/// <summary>
/// Routes a hole to its session. Generated interceptors call this with a precomputed <see cref="HoleSite"/>;
/// plain calls pass <see langword="null"/> and the engine describes the site at run time.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class HoleDispatcher
{
    /// <summary>Fills a hole in the session of the enclosing fill, else <see cref="AgentSession.Current"/>, else <see cref="AgentSession.Default"/>.</summary>
    /// <typeparam name="T">The type the hole must produce.</typeparam>
    /// <param name="site">The call site, or <see langword="null"/> when it was not intercepted.</param>
    /// <param name="task">What the code must do.</param>
    /// <param name="values">The values handed to the hole, in the order of <see cref="HoleSite.Parameters"/>.</param>
    /// <param name="cancellationToken">Cancels the model call and the running fill.</param>
    /// <returns>The value the accepted fill returned.</returns>
    /// <exception cref="HoleSessionMissingException">There is no session to fill the hole in.</exception>
    public static Task<T> FillAsync<T>(HoleSite? site, string task, object?[]? values, CancellationToken cancellationToken)
    {
        var parent = HoleContext.Current;
        var session = parent?.Session ?? AgentSession.Ambient;
        if (session is null)
        {
            return Task.FromException<T>(AgentSession.Missing(site?.Location ?? "an agent<T> call", task));
        }

        values ??= [];
        if (!RuntimeTypeNames.IsNameable(typeof(T)))
        {
            return Task.FromException<T>(UnnameableResult(typeof(T), site?.Location ?? "an agent<T> call", task));
        }

        if (site is not null && RuntimeSites.NeedsRuntimeTypes(site, typeof(T)))
        {
            // A hole in a generic method: describe, compile and check it against the types it has this time.
            site = RuntimeSites.WithRuntimeTypes(site, typeof(T), values);
        }

        return session.Engine.FillAsync<T>(site, task, values, parent, cancellationToken);
    }

    /// <summary>
    /// A result type no fill can name (a private or protected nested type, an anonymous type): no code could be
    /// written for it, so the hole is rejected before the model is asked. The HOLE010 analyzer reports the same
    /// call at compile time when the type is written at the call.
    /// </summary>
    private static HoleRejectedException UnnameableResult(Type type, string location, string task)
    {
        var name = RuntimeTypeNames.Display(type);
        var diagnostic = new HoleDiagnostic(HoleDiagnosticIds.UnusableResultType, HoleDiagnosticSeverity.Error,
            $"The hole's result type '{name}' cannot be named by code outside its declaring type (it is private, protected, " +
            "anonymous or nested in such a type), so no fill can produce it.", 1, 1);
        return new HoleRejectedException(location, task, [new HoleAttempt(1, null, [diagnostic])],
            $"Make '{name}' (and the types it is nested in) internal or public, or ask the hole for a type fills can name " +
            "(an interface it implements, a record with the same data) and convert the result yourself. The model was not asked.");
    }
}
