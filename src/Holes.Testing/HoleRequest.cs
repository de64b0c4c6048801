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

    /// <summary>The hole's own message (its first user message).</summary>
    public string Prompt { get; }

    /// <summary>The last message: on a retry, the diagnostics of the rejected attempt.</summary>
    public string LastMessage { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Site} \"{Task}\" attempt {Attempt}";
}
