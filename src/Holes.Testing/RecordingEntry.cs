using System.Text.Json.Serialization;

namespace Holes.Testing;

/// <summary>
/// The recorded replies for one hole: its task, optional prompt substrings that pick it out among holes with the
/// same task, and the model's reply for each attempt. See <see cref="RecordingFile"/> for the JSON format.
/// </summary>
[JsonConverter(typeof(RecordingEntryConverter))]
public sealed class RecordingEntry
{
    /// <summary>Creates an empty entry.</summary>
    public RecordingEntry()
    {
    }

    /// <summary>Creates an entry for <paramref name="task"/> with <paramref name="replies"/>.</summary>
    /// <param name="task">The hole's task, compared exactly.</param>
    /// <param name="replies">The reply texts for attempt 1, 2, ...</param>
    public RecordingEntry(string task, params IEnumerable<string> replies)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(replies);
        Task = task;
        foreach (var reply in replies)
        {
            Replies.Add(reply);
        }
    }

    /// <summary>The hole's task, compared exactly (ordinal) with the task of a request.</summary>
    public string Task { get; set; } = "";

    /// <summary>Substrings that must all appear in the hole's prompt for this entry to match. Empty: any prompt.</summary>
    public IList<string> PromptContains { get; } = [];

    /// <summary>The model's reply text for attempt 1, attempt 2, ... of this hole.</summary>
    public IList<string> Replies { get; } = [];

    /// <summary>The hole's prompt as recorded; used by <see cref="RecordingChatClient"/> and never saved.</summary>
    internal string? RecordedPrompt { get; set; }

    /// <inheritdoc />
    public override string ToString() =>
        $"\"{Task}\" ({Replies.Count} {(Replies.Count == 1 ? "reply" : "replies")}" +
        (PromptContains.Count == 0 ? ")" : $", prompt contains {string.Join(", ", PromptContains.Select(p => $"\"{p}\""))})");
}
