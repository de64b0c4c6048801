using System.ComponentModel;
using Holes.Pipeline.Compile;
using Holes.Pipeline.Nesting;

namespace Holes.Runtime;

/// <summary>
/// What a nested <c>agent&lt;T&gt;(...)</c> call inside a fill binds to: the same signature as
/// <see cref="Agents"/>, plus the call's site and the locals in scope, which the engine supplies.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class NestedHoleCaller
{
    private readonly HoleContext? _parent;
    private readonly NestedSite? _site;
    private readonly object?[] _scope;
    private readonly bool _pure;

    internal NestedHoleCaller(HoleContext? parent, NestedSite? site, object?[] scope, bool pure = false)
    {
        _parent = parent;
        _site = site;
        _scope = scope;
        _pure = pure;
    }

    /// <summary>Set in the isolated worker: the nested hole is filled by the host's engine through this route.</summary>
    internal Holes.Execution.INestedHoleRoute? Route { get; init; }

    /// <summary>The nested call's index within its fill.</summary>
    internal int SiteIndex { get; init; }

    /// <summary>Fills a nested hole.</summary>
    /// <typeparam name="T">The type the hole must produce.</typeparam>
    /// <param name="task">What the code must do.</param>
    /// <param name="values">Values handed in explicitly.</param>
    /// <returns>The value the accepted fill returned.</returns>
#pragma warning disable IDE1006 // Mirrors Agents.agent so a fill's call binds here unchanged.
    public Task<T> agent<T>(string task, params object?[] values) => agent<T>(task, CancellationToken.None, values);

    /// <summary>Fills a nested hole, observing <paramref name="cancellationToken"/>.</summary>
    /// <typeparam name="T">The type the hole must produce.</typeparam>
    /// <param name="task">What the code must do.</param>
    /// <param name="cancellationToken">Cancels the nested hole.</param>
    /// <param name="values">Values handed in explicitly.</param>
    /// <returns>The value the accepted fill returned.</returns>
    public Task<T> agent<T>(string task, CancellationToken cancellationToken, params object?[] values)
#pragma warning restore IDE1006
    {
        if (Route is { } route)
        {
            return route.FillAsync<T>(SiteIndex, _scope, task, values ?? [], cancellationToken);
        }

        var session = _parent?.Session ?? AgentSession.Current;
        if (session is null)
        {
            return HoleDispatcher.FillAsync<T>(_site?.Site, task, values, cancellationToken);
        }

        return session.Engine.FillNestedAsync<T>(_parent, _site, _scope, task, values ?? [], cancellationToken, _pure);
    }
}
