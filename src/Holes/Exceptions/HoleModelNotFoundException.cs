namespace Holes;

/// <summary>
/// A hole, a <see cref="AgentSession.UseModel"/> scope or a fill's <c>model(key)</c> asked for a model key the
/// session does not have. The message names the site and the keys it has.
/// </summary>
public sealed class HoleModelNotFoundException : HoleException
{
    internal HoleModelNotFoundException(string location, string? task, string key, IReadOnlyList<string> available, string asker)
        : base(location, task,
            $"{asker} asks for the model \"{key}\", which this session does not have. Its models: {string.Join(", ", available.Select(k => $"\"{k}\""))}. " +
            "Use one of those keys, or register the model: services.AddKeyedChatClient(\"" + key + "\", client) before AddHoles(), " +
            "or the models dictionary of the AgentSession constructor.")
    {
        Key = key;
        AvailableKeys = available;
    }

    /// <summary>The key that was asked for.</summary>
    public string Key { get; }

    /// <summary>The keys of the session's models.</summary>
    public IReadOnlyList<string> AvailableKeys { get; }
}
