using System.ComponentModel;
using Holes.Pipeline.Nesting;

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

        return session.Engine.FillAsync<T>(site, task, values ?? [], parent, cancellationToken);
    }
}
