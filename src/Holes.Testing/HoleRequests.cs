using Microsoft.Extensions.AI;

namespace Holes.Testing;

/// <summary>Reads which hole and attempt a chat request is for, in chat middleware of your own (loggers, recorders, routers).</summary>
public static class HoleRequests
{
    /// <summary>
    /// Describes the request made of <paramref name="messages"/>: its task, site and attempt (empty task and attempt 1
    /// when it is not a request from Holes) and its prompts. The messages are copied, so later changes to the
    /// caller's list do not show.
    /// </summary>
    /// <param name="messages">The messages of the request, as passed to <see cref="IChatClient.GetResponseAsync"/>.</param>
    /// <param name="options">The request's chat options.</param>
    /// <returns>The request.</returns>
    public static HoleRequest From(IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return new HoleRequest([.. messages], options);
    }
}
