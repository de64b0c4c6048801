using Holes.Runtime;
using Microsoft.Extensions.AI;

namespace Holes.Pipeline.Model;

/// <summary>One of a session's models: its key, what it is for, its client, and the invoker that asks it.</summary>
internal sealed class SessionModel
{
    public SessionModel(string key, string description, IChatClient client, string name, string? provider, ModelInvoker invoker)
    {
        Key = key;
        Description = description;
        Client = client;
        Name = name;
        Provider = provider;
        Invoker = invoker;
    }

    /// <summary>The key holes choose it by; <see cref="AgentSession.DefaultModelKey"/> for the session's own client.</summary>
    public string Key { get; }

    public string Description { get; }

    public IChatClient Client { get; }

    /// <summary>The model id (the request's, else the client's default), or <c>unknown</c>.</summary>
    public string Name { get; }

    /// <summary>The provider the client names (<c>openai</c>, <c>ollama</c>, ...), when it says.</summary>
    public string? Provider { get; }

    public ModelInvoker Invoker { get; }
}

/// <summary>A session's models by key, and how a hole's model is chosen.</summary>
internal sealed class ModelCatalog
{
    private readonly AgentSession _session;
    private readonly Dictionary<string, SessionModel> _byKey;

    public ModelCatalog(AgentSession session, IReadOnlyList<SessionModel> models)
    {
        _session = session;
        _byKey = models.ToDictionary(m => m.Key, StringComparer.Ordinal);
        All = models;
        Default = _byKey[AgentSession.DefaultModelKey];
        Keys = [.. models.Select(m => m.Key)];
    }

    /// <summary>Every model, the default first, then the others in the order they were given.</summary>
    public IReadOnlyList<SessionModel> All { get; }

    public IReadOnlyList<string> Keys { get; }

    public SessionModel Default { get; }

    /// <summary>Whether holes have a choice: more than the default model.</summary>
    public bool HasChoice => All.Count > 1;

    public SessionModel? Find(string key) => _byKey.GetValueOrDefault(key);

    /// <summary>The model with <paramref name="key"/>, or the error that names <paramref name="location"/> and the keys there are.</summary>
    public SessionModel Require(string key, string location, string? task, string asker) =>
        Find(key) ?? throw new HoleModelNotFoundException(location, task, key, Keys, asker);

    /// <summary>
    /// The key a hole at <paramref name="site"/>, reached on the current flow, is filled with: a
    /// <c>UseModel</c>/<c>model</c> scope opened around the call (in host code or the enclosing fill), else the site's
    /// <c>[HoleModel]</c>, else the model of the hole whose fill made the call, else the default.
    /// </summary>
    public string KeyFor(HoleSite site)
    {
        var scope = ModelScope.Current is { } current && ReferenceEquals(current.Session, _session) ? current : null;
        if (scope is { IsExplicit: true })
        {
            return scope.Key;
        }

        if (site.Model is { Length: > 0 } declared)
        {
            return declared;
        }

        return scope?.Key ?? AgentSession.DefaultModelKey;
    }
}

/// <summary>
/// The model chosen on an async flow: opened explicitly by <see cref="AgentSession.UseModel"/> or a fill's
/// <c>model(key)</c>, or set by the engine while a fill runs, so its nested holes inherit its hole's model.
/// </summary>
internal sealed class ModelScope : IDisposable
{
    private static readonly AsyncLocal<ModelScope?> s_current = new();
    private readonly ModelScope? _previous;
    private int _disposed;

    private ModelScope(AgentSession session, string key, bool isExplicit, ModelScope? previous)
    {
        Session = session;
        Key = key;
        IsExplicit = isExplicit;
        _previous = previous;
    }

    public static ModelScope? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    public AgentSession Session { get; }

    public string Key { get; }

    /// <summary>Opened by the program or a fill (it wins over <c>[HoleModel]</c>), not inherited from a running hole.</summary>
    public bool IsExplicit { get; }

    /// <summary>Opens a scope on this flow; disposing it restores the previous one.</summary>
    public static ModelScope Open(AgentSession session, string key) => s_current.Value = new ModelScope(session, key, isExplicit: true, s_current.Value);

    /// <summary>The scope a running fill's nested holes inherit: its hole's model.</summary>
    public static ModelScope Inherited(AgentSession session, string key) => new(session, key, isExplicit: false, s_current.Value);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && ReferenceEquals(s_current.Value, this))
        {
            s_current.Value = _previous;
        }
    }
}
