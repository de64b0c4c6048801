using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Holes.Testing;

/// <summary>
/// A chat client that answers holes from recorded replies (see <see cref="RecordingFile"/> for the JSON format),
/// so a program that uses Holes runs with no model: in samples, demos, CI and tests. Thread-safe, so parallel holes
/// can share it.
/// </summary>
/// <remarks>
/// <para>
/// Matching. Each request is identified by the hole's task and attempt, which Holes puts on the hole's messages
/// (see <see cref="HoleRequest"/>). On attempt 1 the hole claims an unused entry with the same task whose
/// <c>promptContains</c> substrings all appear in the hole's prompt; if several do, the one with the most
/// <c>promptContains</c> wins (the most specific), then the first in the file. A claimed entry is never given to
/// another hole, so parallel holes with the same task each get their own entry. On attempt <c>k</c> &gt; 1 the
/// hole's conversation (recognised by its prompt message) continues with reply <c>k</c> of the entry it claimed.
/// </para>
/// <para>
/// When no entry fits, the request fails with an <see cref="InvalidOperationException"/> that names the task; the
/// hole then fails with a <c>HoleModelException</c>. Record the missing fill with a <see cref="RecordingChatClient"/>
/// around a live model, or add an entry by hand.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// await using var session = new AgentSession(new ReplayChatClient("recordings.json"));
/// AgentSession.Current = session;
/// int year = await agent&lt;int&gt;("the year Alan Turing was born");
/// </code>
/// </example>
public sealed class ReplayChatClient : IChatClient
{
    private readonly object _gate = new();
    private readonly IReadOnlyList<RecordingEntry> _entries;
    private readonly bool[] _claimed;
    private readonly string _source;

    // A conversation is recognised by the identity of its hole message, which the engine reuses for every attempt;
    // by the prompt's text when a middleware copied the messages.
    private readonly ConditionalWeakTable<ChatMessage, Claim> _byMessage = [];
    private readonly Dictionary<string, List<Claim>> _byPrompt = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<HoleRequest> _requests = new();

    /// <summary>Replays the recordings in the JSON file at <paramref name="path"/>.</summary>
    /// <param name="path">A recordings file (see <see cref="RecordingFile"/>).</param>
    /// <exception cref="InvalidDataException">The file is not in the recordings format.</exception>
    public ReplayChatClient(string path)
        : this(RecordingFile.Load(path), Path.GetFileName(path))
    {
    }

    /// <summary>Replays the recordings read from <paramref name="stream"/>.</summary>
    /// <param name="stream">Recordings JSON, UTF-8.</param>
    /// <param name="sourceName">Names the recordings in error messages.</param>
    /// <exception cref="InvalidDataException">The stream is not in the recordings format.</exception>
    public ReplayChatClient(Stream stream, string? sourceName = null)
        : this(RecordingFile.Load(stream, sourceName), sourceName)
    {
    }

    /// <summary>Replays <paramref name="recordings"/>. The client reads them once; later changes are not seen.</summary>
    /// <param name="recordings">The recordings.</param>
    /// <param name="sourceName">Names the recordings in error messages.</param>
    public ReplayChatClient(RecordingFile recordings, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        _entries = [.. recordings.Holes];
        _claimed = new bool[_entries.Count];
        _source = sourceName ?? "the recordings";
    }

    /// <summary>Every request received, in arrival order.</summary>
    public IReadOnlyList<HoleRequest> Requests => [.. _requests];

    /// <summary>The entries no hole has claimed yet, in file order.</summary>
    public IReadOnlyList<RecordingEntry> UnusedEntries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries.Where((_, i) => !_claimed[i])];
            }
        }
    }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        // A copy: the engine appends to its list after this call, and Requests must show what was sent.
        List<ChatMessage> list = [.. messages];
        var request = new HoleRequest(list, options);
        _requests.Enqueue(request);

        var text = Answer(request, list.FirstOrDefault(m => m.Role == ChatRole.User));

        // Recordings hold the replies, not what they cost: usage is not reported, so statistics show it as unknown.
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType is not null && serviceType.IsInstanceOfType(this) ? this : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private string Answer(HoleRequest request, ChatMessage? holeMessage)
    {
        if (request.Task.Length == 0)
        {
            throw new InvalidOperationException(
                $"ReplayChatClient only answers hole requests from Holes; this request carries no hole task (first message: \"{Excerpt(request.Prompt)}\").");
        }

        var promptKey = request.Task + "\n" + request.Prompt;
        lock (_gate)
        {
            Claim claim;
            if (request.Attempt <= 1)
            {
                claim = ClaimEntry(request);
                if (holeMessage is not null)
                {
                    _byMessage.AddOrUpdate(holeMessage, claim);
                }

                if (!_byPrompt.TryGetValue(promptKey, out var claims))
                {
                    _byPrompt[promptKey] = claims = [];
                }

                claims.Add(claim);
            }
            else
            {
                claim = FindClaim(request, holeMessage, promptKey);
            }

            var entry = _entries[claim.Index];
            if (request.Attempt > entry.Replies.Count)
            {
                throw new InvalidOperationException(
                    $"The hole \"{request.Task}\"{At(request)} asked for attempt {request.Attempt}, but its entry in {_source} (holes[{claim.Index}]) " +
                    $"has only {entry.Replies.Count} {(entry.Replies.Count == 1 ? "reply" : "replies")}. The fill was judged differently than when it was " +
                    $"recorded (the program, its types or Holes changed). It was last told: \"{Excerpt(request.LastMessage, 600)}\" {HowToRecord(request.Task)}");
            }

            claim.LastAttempt = Math.Max(claim.LastAttempt, request.Attempt);
            return entry.Replies[Math.Max(request.Attempt, 1) - 1];
        }
    }

    private Claim ClaimEntry(HoleRequest request)
    {
        int best = -1, bestSpecificity = -1, sameTask = 0, unusedSameTask = 0;
        for (var i = 0; i < _entries.Count; i++)
        {
            var entry = _entries[i];
            if (!string.Equals(entry.Task, request.Task, StringComparison.Ordinal))
            {
                continue;
            }

            sameTask++;
            if (_claimed[i])
            {
                continue;
            }

            unusedSameTask++;
            if (entry.PromptContains.All(s => request.Prompt.Contains(s, StringComparison.Ordinal)) && entry.PromptContains.Count > bestSpecificity)
            {
                best = i;
                bestSpecificity = entry.PromptContains.Count;
            }
        }

        if (best < 0)
        {
            var why = sameTask == 0
                ? "there is no entry with this task"
                : unusedSameTask == 0
                    ? $"all {sameTask} {(sameTask == 1 ? "entry" : "entries")} with this task were already used by earlier holes (a hole reached once more needs one more entry)"
                    : $"none of the {unusedSameTask} unused {(unusedSameTask == 1 ? "entry" : "entries")} with this task has all its \"promptContains\" in the prompt";
            throw new InvalidOperationException($"No recorded fill for the hole \"{request.Task}\"{At(request)} in {_source}: {why}. {HowToRecord(request.Task)}");
        }

        _claimed[best] = true;
        return new Claim(best);
    }

    private Claim FindClaim(HoleRequest request, ChatMessage? holeMessage, string promptKey)
    {
        if (holeMessage is not null && _byMessage.TryGetValue(holeMessage, out var claim))
        {
            return claim;
        }

        // The messages were copied on the way: take the conversation with this prompt that is one attempt behind.
        if (_byPrompt.TryGetValue(promptKey, out var claims)
            && (claims.Find(c => c.LastAttempt == request.Attempt - 1) ?? claims.LastOrDefault()) is { } byText)
        {
            return byText;
        }

        throw new InvalidOperationException(
            $"The hole \"{request.Task}\"{At(request)} asked for attempt {request.Attempt}, but ReplayChatClient never answered its attempt 1, " +
            "so it does not know which recorded entry the conversation uses. Send every attempt of a hole through the same client.");
    }

    private static string At(HoleRequest request) => request.Site.Length == 0 ? "" : $" at {request.Site}";

    private static string HowToRecord(string task) =>
        "To record it, run the program once against a live model with the chat client wrapped in a RecordingChatClient " +
        "and save the recordings (in the Quickstart sample: set HOLES_PROVIDER and HOLES_RECORD=path), " +
        $"or add an entry by hand: {{ \"task\": \"{task.Replace("\"", "\\\"", StringComparison.Ordinal)}\", \"replies\": [ {{ \"code\": \"return ...;\", \"giveUp\": null }} ] }}.";

    private static string Excerpt(string text, int max = 80) => text.Length <= max ? text : text[..(max - 3)] + "...";

    private sealed class Claim(int index)
    {
        public int Index { get; } = index;

        public int LastAttempt { get; set; }
    }
}
