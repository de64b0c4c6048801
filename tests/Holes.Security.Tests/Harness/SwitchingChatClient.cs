using Microsoft.Extensions.AI;

namespace Holes.Security.Tests.Harness;

/// <summary>A chat client that forwards to whichever client the current case set: a session kept across cases gets each case's scripted model.</summary>
internal sealed class SwitchingChatClient(IChatClient initial) : IChatClient
{
    public IChatClient Current { get; set; } = initial;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Current.GetResponseAsync(messages, options, cancellationToken);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Current.GetStreamingResponseAsync(messages, options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) => Current.GetService(serviceType, serviceKey);

    public void Dispose()
    {
    }
}
