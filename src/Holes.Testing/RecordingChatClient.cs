using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Holes.Testing;

/// <summary>
/// Forwards to a real chat client and records the reply to every attempt of every hole, one entry per hole, in the
/// format a <see cref="ReplayChatClient"/> replays (see <see cref="RecordingFile"/>). Run a program once against a
/// live model, save the recordings, and from then on it runs with no model. Thread-safe.
/// </summary>
/// <remarks>
/// An entry is added when a hole's first reply arrives, and later attempts of the same hole (the same conversation)
/// are appended to it. When a task is recorded more than once (a loop, parallel sub-agents), each of its entries
/// gets as <c>promptContains</c> the lines of its prompt's "Values handed in" section that the other entries do not
/// share, so the replay pairs each hole with its own replies whatever order they arrive in. Requests that are not
/// holes, and retries of a hole whose first attempt was not seen, are forwarded but not recorded.
/// </remarks>
/// <example>
/// <code>
/// var recorder = new RecordingChatClient(liveClient);
/// await using (var session = new AgentSession(recorder))
/// {
///     AgentSession.Current = session;
///     // ... run the program's holes ...
/// }
/// await recorder.SaveAsync("recordings.json", CancellationToken.None);
/// </code>
/// </example>
public sealed class RecordingChatClient : DelegatingChatClient
{
    private const string ValuesHeading = "## Values handed in\n";

    private readonly object _gate = new();
    private readonly List<RecordingEntry> _entries = [];
    private readonly ConditionalWeakTable<ChatMessage, RecordingEntry> _byMessage = [];
    private readonly Dictionary<string, List<RecordingEntry>> _byPrompt = new(StringComparer.Ordinal);

    /// <summary>Records what <paramref name="innerClient"/> replies.</summary>
    /// <param name="innerClient">The live model.</param>
    public RecordingChatClient(IChatClient innerClient)
        : base(innerClient)
    {
    }

    /// <summary>Saved as the file's <c>"_comment"</c>. Default: when and through which client the replies were recorded.</summary>
    public string? Comment { get; set; }

    /// <summary>
    /// Whether entries of a task recorded more than once get <c>promptContains</c> lines that tell them apart.
    /// Default <see langword="true"/>.
    /// </summary>
    public bool DistinguishRepeatedTasks { get; set; } = true;

    /// <summary>How many holes have been recorded so far.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        List<ChatMessage> list = [.. messages];
        var response = await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        Record(list, options, response.Text);
        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        List<ChatMessage> list = [.. messages];
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            yield return update;
        }

        Record(list, options, updates.ToChatResponse().Text);
    }

    /// <summary>A snapshot of what has been recorded, ready to save or to replay.</summary>
    /// <returns>A new <see cref="RecordingFile"/>; later recordings do not change it.</returns>
    public RecordingFile ToRecordingFile()
    {
        var file = new RecordingFile
        {
            Comment = Comment ?? $"Recorded by Holes.Testing.RecordingChatClient on {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC from {Describe(InnerClient)}.",
        };

        lock (_gate)
        {
            var copies = _entries.Select(e =>
            {
                var copy = new RecordingEntry(e.Task, e.Replies) { RecordedPrompt = e.RecordedPrompt };
                foreach (var text in e.PromptContains)
                {
                    copy.PromptContains.Add(text);
                }

                return copy;
            }).ToList();

            if (DistinguishRepeatedTasks)
            {
                foreach (var group in copies.GroupBy(e => e.Task, StringComparer.Ordinal).Where(g => g.Count() > 1))
                {
                    Distinguish([.. group]);
                }
            }

            foreach (var copy in copies)
            {
                file.Holes.Add(copy);
            }
        }

        return file;
    }

    /// <summary>Writes what has been recorded as indented JSON to <paramref name="path"/>, replacing the file.</summary>
    /// <param name="path">The recordings file to write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is written.</returns>
    public Task SaveAsync(string path, CancellationToken cancellationToken) => ToRecordingFile().SaveAsync(path, cancellationToken);

    /// <summary>Writes what has been recorded as indented JSON to <paramref name="stream"/>.</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when written.</returns>
    public Task SaveAsync(Stream stream, CancellationToken cancellationToken) => ToRecordingFile().SaveAsync(stream, cancellationToken);

    private void Record(List<ChatMessage> messages, ChatOptions? options, string text)
    {
        var request = new HoleRequest(messages, options);
        if (request.Task.Length == 0)
        {
            return;
        }

        var holeMessage = messages.FirstOrDefault(m => m.Role == ChatRole.User);
        var promptKey = request.Task + "\n" + request.Prompt;
        lock (_gate)
        {
            if (request.Attempt <= 1)
            {
                var entry = new RecordingEntry(request.Task, text) { RecordedPrompt = request.Prompt };
                _entries.Add(entry);
                if (holeMessage is not null)
                {
                    _byMessage.AddOrUpdate(holeMessage, entry);
                }

                if (!_byPrompt.TryGetValue(promptKey, out var same))
                {
                    _byPrompt[promptKey] = same = [];
                }

                same.Add(entry);
                return;
            }

            RecordingEntry? existing = null;
            if (holeMessage is null || !_byMessage.TryGetValue(holeMessage, out existing))
            {
                existing = _byPrompt.TryGetValue(promptKey, out var same)
                    ? same.Find(e => e.Replies.Count == request.Attempt - 1) ?? same.LastOrDefault()
                    : null;
            }

            existing?.Replies.Add(text);
        }
    }

    /// <summary>
    /// Gives each entry a line of its "Values handed in" section that no other entry of the group has (the first
    /// such line), or else every line that not all entries of the group share.
    /// </summary>
    private static void Distinguish(List<RecordingEntry> group)
    {
        var lines = group.Select(e => ValueLines(e.RecordedPrompt ?? "")).ToList();
        var shared = lines.Skip(1).Aggregate(new HashSet<string>(lines[0], StringComparer.Ordinal), (common, next) =>
        {
            common.IntersectWith(next);
            return common;
        });

        for (var i = 0; i < group.Count; i++)
        {
            if (group[i].PromptContains.Count > 0)
            {
                continue;
            }

            var own = i;
            var distinct = lines[i].Where(l => !shared.Contains(l)).ToList();
            var unique = distinct.FirstOrDefault(l => !lines.Where((_, j) => j != own).Any(other => other.Contains(l)));
            foreach (var line in unique is null ? distinct : [unique])
            {
                group[i].PromptContains.Add(line);
            }
        }
    }

    private static List<string> ValueLines(string prompt)
    {
        // The hole's own section comes last, after the session context (which quotes the program's source).
        var start = prompt.LastIndexOf(ValuesHeading, StringComparison.Ordinal);
        if (start < 0)
        {
            return [];
        }

        var result = new List<string>();
        foreach (var line in prompt[(start + ValuesHeading.Length)..].Split('\n'))
        {
            if (!line.StartsWith("- ", StringComparison.Ordinal))
            {
                break;
            }

            result.Add(line);
        }

        return result;
    }

    private static string Describe(IChatClient client) =>
        client.GetService<ChatClientMetadata>() is { } metadata
            ? $"{metadata.ProviderName ?? client.GetType().Name}{(metadata.DefaultModelId is { } model ? $" ({model})" : "")}"
            : client.GetType().Name;
}
