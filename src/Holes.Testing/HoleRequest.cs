using Microsoft.Extensions.AI;

namespace Holes.Testing;

/// <summary>One request a test chat client received: the whole conversation, and which hole and attempt it is for.</summary>
public sealed class HoleRequest
{
    internal HoleRequest(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        Messages = messages;
        Options = options;
        var tagged = messages.LastOrDefault(m => m.AdditionalProperties?.ContainsKey(TaskKey) == true);
        Task = tagged?.AdditionalProperties?[TaskKey] as string ?? "";
        Site = tagged?.AdditionalProperties?.TryGetValue(SiteKey, out var site) == true ? site as string ?? "" : "";
        Attempt = tagged?.AdditionalProperties?.TryGetValue(AttemptKey, out var attempt) == true && attempt is int n ? n : 1;
        Prompt = messages.FirstOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        LastMessage = messages.Count > 0 ? messages[^1].Text : "";
        SystemPrompt = messages.FirstOrDefault(m => m.Role == ChatRole.System)?.Text ?? "";
    }

    /// <summary>
    /// Describes the request made of <paramref name="messages"/>, for chat middleware of your own (loggers, recorders,
    /// routers): its task, site and attempt (empty task and attempt 1 when it is not a request from Holes) and its
    /// prompts. The messages are copied, so later changes to the caller's list do not show.
    /// </summary>
    /// <param name="messages">The messages of the request, as passed to <see cref="IChatClient.GetResponseAsync"/>.</param>
    /// <param name="options">The request's chat options.</param>
    /// <returns>The request.</returns>
    public static HoleRequest From(IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return new HoleRequest([.. messages], options);
    }

    internal const string TaskKey = "holes.task";
    internal const string SiteKey = "holes.site";
    internal const string AttemptKey = "holes.attempt";

    /// <summary>Every message sent, in order.</summary>
    public IReadOnlyList<ChatMessage> Messages { get; }

    /// <summary>The chat options sent.</summary>
    public ChatOptions? Options { get; }

    /// <summary>The hole's task.</summary>
    public string Task { get; }

    /// <summary>The hole's site as <c>file:line</c>.</summary>
    public string Site { get; }

    /// <summary>The 1-based attempt this request is for.</summary>
    public int Attempt { get; }

    /// <summary>The system message.</summary>
    public string SystemPrompt { get; }

    /// <summary>The hole's message (its first user message): the session's context, then the hole's own section.</summary>
    public string Prompt { get; }

    /// <summary>The last message: on a retry, the diagnostics of the rejected attempt.</summary>
    public string LastMessage { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Site} \"{Task}\" attempt {Attempt}";
}
