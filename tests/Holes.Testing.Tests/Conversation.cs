using Microsoft.Extensions.AI;

namespace Holes.Testing.Tests;

/// <summary>
/// A hole conversation as the engine builds it: a system message, the hole's prompt tagged with its task and
/// attempt, then for each retry the previous reply and a follow-up tagged with the next attempt.
/// </summary>
internal sealed class Conversation
{
    private readonly string _task;

    public Conversation(string task, string prompt)
    {
        _task = task;
        Messages = [new ChatMessage(ChatRole.System, "You fill typed holes."), Tagged(prompt, 1)];
    }

    public List<ChatMessage> Messages { get; }

    public int Attempt { get; private set; } = 1;

    public async Task<string> AskAsync(IChatClient client)
    {
        var response = await client.GetResponseAsync(Messages);
        return response.Text;
    }

    /// <summary>Records the reply to the current attempt and asks for the next one.</summary>
    public Conversation Reject(string reply)
    {
        Attempt++;
        Messages.Add(new ChatMessage(ChatRole.Assistant, reply));
        Messages.Add(Tagged("Your code was rejected before it ran; nothing changed.", Attempt));
        return this;
    }

    /// <summary>The same conversation with every message copied, as a middleware that rebuilds messages would send it.</summary>
    public List<ChatMessage> Copied() =>
        [.. Messages.Select(m => new ChatMessage(m.Role, m.Text) { AdditionalProperties = m.AdditionalProperties is null ? null : new(m.AdditionalProperties) })];

    private ChatMessage Tagged(string text, int attempt) => new(ChatRole.User, text)
    {
        AdditionalProperties = new AdditionalPropertiesDictionary
        {
            ["holes.task"] = _task,
            ["holes.site"] = "Program.cs:12",
            ["holes.attempt"] = attempt,
        },
    };
}
