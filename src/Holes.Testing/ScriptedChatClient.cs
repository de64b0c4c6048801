using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace Holes.Testing;

/// <summary>
/// A chat client for tests: answers from a queue of replies, or computes them from the request, and records every
/// request it received so tests can assert on the prompts. Thread-safe, so parallel holes can share it.
/// </summary>
/// <example>
/// <code>
/// var model = new ScriptedChatClient()
///     .ReplyWithCode("return xs.Where(IsPrime).ToList();")   // rejected: IsPrime does not exist
///     .ReplyWithCode("return xs.Where(x => x > 1 &amp;&amp; Enumerable.Range(2, x - 2).All(d => x % d != 0)).ToList();");
/// </code>
/// </example>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly ConcurrentQueue<Func<HoleRequest, string>> _queue = new();
    private readonly List<(Func<HoleRequest, bool> When, Func<HoleRequest, CancellationToken, Task<string>> Reply)> _rules = [];
    private readonly ConcurrentQueue<HoleRequest> _requests = new();

    /// <summary>How long every reply takes; the delay observes cancellation. Default zero.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Every request received, in arrival order.</summary>
    public IReadOnlyList<HoleRequest> Requests => [.. _requests];

    /// <summary>
    /// The model id the client reports (as its <see cref="ChatClientMetadata.DefaultModelId"/> and on every reply).
    /// Default <see langword="null"/>: no model is named, as with a client that does not say.
    /// </summary>
    public string? ModelId { get; set; }

    /// <summary>
    /// The token usage reported with each reply, computed from the request and the reply text. Default
    /// <see langword="null"/>: replies report no usage, so session statistics show tokens as unknown. Nothing is
    /// estimated; set this to test what a program does with reported usage.
    /// </summary>
    public Func<HoleRequest, string, UsageDetails?>? Usage { get; set; }

    /// <summary>Queues a structured reply carrying <paramref name="code"/>.</summary>
    /// <param name="code">The C# statements.</param>
    /// <returns>This client.</returns>
    public ScriptedChatClient ReplyWithCode(string code) => Enqueue(_ => FillReplies.Code(code));

    /// <summary>Queues a raw text reply (prose, a fenced block, malformed JSON...).</summary>
    /// <param name="text">The reply text.</param>
    /// <returns>This client.</returns>
    public ScriptedChatClient ReplyWithText(string text) => Enqueue(_ => text);

    /// <summary>Queues a structured reply that gives up.</summary>
    /// <param name="reason">Why.</param>
    /// <returns>This client.</returns>
    public ScriptedChatClient ReplyWithGiveUp(string reason) => Enqueue(_ => FillReplies.GiveUp(reason));

    /// <summary>Queues a failure: the next request throws <paramref name="exception"/>.</summary>
    /// <param name="exception">What to throw.</param>
    /// <returns>This client.</returns>
    public ScriptedChatClient ReplyWithException(Exception exception) => Enqueue(_ => throw exception);

    /// <summary>Queues a reply computed from the request.</summary>
    /// <param name="reply">Returns the reply text (see <see cref="FillReplies"/>).</param>
    /// <returns>This client.</returns>
    public ScriptedChatClient Reply(Func<HoleRequest, string> reply) => Enqueue(reply);

    /// <summary>
    /// Answers every request that matches <paramref name="when"/> with <paramref name="reply"/>, before the queue is
    /// consulted. Use it for holes whose order is not fixed, such as parallel sub-agents.
    /// </summary>
    /// <param name="when">Selects requests, typically by <see cref="HoleRequest.Task"/> and <see cref="HoleRequest.Attempt"/>.</param>
    /// <param name="reply">Returns the reply text.</param>
    /// <returns>This client.</returns>
    public ScriptedChatClient When(Func<HoleRequest, bool> when, Func<HoleRequest, string> reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return WhenAsync(when, (request, _) => Task.FromResult(reply(request)));
    }

    /// <summary>
    /// Like <see cref="When(Func{HoleRequest, bool}, Func{HoleRequest, string})"/>, with a reply that may wait, for
    /// example until several parallel holes are all in flight.
    /// </summary>
    /// <param name="when">Selects requests.</param>
    /// <param name="reply">Produces the reply text; observes the request's cancellation token.</param>
    /// <returns>This client.</returns>
    public ScriptedChatClient WhenAsync(Func<HoleRequest, bool> when, Func<HoleRequest, CancellationToken, Task<string>> reply)
    {
        lock (_rules)
        {
            _rules.Add((when, reply));
        }

        return this;
    }

    /// <summary>Answers every request for <paramref name="task"/> with code from <paramref name="code"/>.</summary>
    /// <param name="task">The hole's task, compared exactly.</param>
    /// <param name="code">Computes the code from the request.</param>
    /// <returns>This client.</returns>
    public ScriptedChatClient WhenTask(string task, Func<HoleRequest, string> code) => When(r => r.Task == task, r => FillReplies.Code(code(r)));

    private ScriptedChatClient Enqueue(Func<HoleRequest, string> reply)
    {
        _queue.Enqueue(reply);
        return this;
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = new HoleRequest([.. messages], options);
        _requests.Enqueue(request);
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        Func<HoleRequest, CancellationToken, Task<string>>? rule;
        lock (_rules)
        {
            rule = _rules.FirstOrDefault(r => r.When(request)).Reply;
        }

        string text;
        if (rule is not null)
        {
            text = await rule(request, cancellationToken).ConfigureAwait(false);
        }
        else if (_queue.TryDequeue(out var queued))
        {
            text = queued(request);
        }
        else
        {
            throw new InvalidOperationException($"ScriptedChatClient has no reply left for {request}. Queue one with ReplyWithCode or add a When rule.");
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = ModelId,
            Usage = Usage?.Invoke(request, text),
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null :
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata(nameof(ScriptedChatClient), defaultModelId: ModelId) :
        serviceType.IsInstanceOfType(this) ? this : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
