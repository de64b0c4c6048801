using Microsoft.Extensions.AI;

namespace Holes;

/// <summary>
/// One model a session can fill holes with: its chat client and, for the model writing a fill, what it is for. A
/// session holds its models by key; a hole picks one per scope (<see cref="AgentSession.UseModel"/>), per method
/// (<see cref="HoleModelAttribute"/>) or, for the holes inside a fill, by the fill's own choice (<c>model(key)</c>).
/// </summary>
/// <example>
/// <code>
/// await using var session = new AgentSession(strongClient, new Dictionary&lt;string, AgentModel&gt;
/// {
///     ["fast"] = new(fastClient, "cheap and quick: summaries, lookups, small transformations"),
/// });
/// </code>
/// </example>
public sealed class AgentModel
{
    /// <summary>Describes a model.</summary>
    /// <param name="client">The chat client that fills holes with this model.</param>
    /// <param name="description">What the model is for, in a few words; fills read it when they choose a model for their nested holes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    public AgentModel(IChatClient client, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
        Description = description?.Trim() ?? "";
    }

    /// <summary>The chat client that fills holes with this model.</summary>
    public IChatClient Client { get; }

    /// <summary>What the model is for; empty when not said.</summary>
    public string Description { get; }
}
