using System.Text.Json;
using System.Text.Json.Serialization;

namespace Holes.Testing;

/// <summary>
/// Recorded model replies, one entry per hole, that a <see cref="ReplayChatClient"/> answers from so a program
/// using Holes runs with no model. A <see cref="RecordingChatClient"/> writes them from a live model; they can
/// also be written by hand.
/// </summary>
/// <remarks>
/// <para>The file format (JSON, UTF-8):</para>
/// <code>
/// {
///   "_comment": "optional free text, ignored",
///   "holes": [
///     {
///       "task": "keep only the prime numbers in xs",
///       "promptContains": [ "optional substrings that must all appear in the hole's prompt" ],
///       "replies": [
///         "{\"code\": \"return xs.Where(IsPrime).ToList();\", \"giveUp\": null}",
///         { "code": [ "var primes = xs.Where(x => x > 1 &amp;&amp; ...).ToList();", "return primes;" ], "giveUp": null }
///       ]
///     }
///   ]
/// }
/// </code>
/// <list type="bullet">
/// <item><description><c>task</c>: the hole's task text, compared exactly (ordinal).</description></item>
/// <item><description>
/// <c>promptContains</c> (optional): substrings that must all appear in the hole's prompt (its first user message)
/// for the entry to match. Use them to tell apart holes with the same task, such as parallel sub-agents or the steps
/// of a loop, by a line of the prompt's "Values handed in" section, e.g. <c>`topic`: `string` = \"LINQ\"</c>.
/// </description></item>
/// <item><description>
/// <c>replies</c>: what the model said for attempt 1, attempt 2, ... of that hole. Each is either a string, the reply
/// text verbatim (usually the JSON object <c>{"code": ..., "giveUp": null}</c> that <see cref="FillReplies.Code"/>
/// builds, or prose with a fenced block), or that JSON object written inline, which is replayed as its JSON text.
/// In an inline object, <c>code</c> may be an array of lines, joined with <c>\n</c>; this keeps hand-written and
/// recorded files readable.
/// </description></item>
/// </list>
/// <para>
/// Entries with the same task are used in file order, each by one hole: a loop that reaches the same hole three
/// times needs three entries.
/// </para>
/// </remarks>
public sealed class RecordingFile
{
    private static readonly JsonSerializerOptions s_readOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly JsonSerializerOptions s_writeOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        IndentSize = 2,
        // Code is full of quotes, '<' and '&': keep the file readable. It is never embedded in HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Free text stored as <c>"_comment"</c> at the top of the file: where the replies came from.</summary>
    [JsonPropertyName("_comment")]
    [JsonPropertyOrder(-1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Comment { get; set; }

    /// <summary>The recorded holes, in the order they were reached.</summary>
    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public IList<RecordingEntry> Holes { get; } = [];

    /// <summary>Reads recordings from a JSON file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The recordings.</returns>
    /// <exception cref="InvalidDataException">The file is not in the recordings format.</exception>
    public static RecordingFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>Reads recordings from a stream of JSON.</summary>
    /// <param name="stream">The JSON, UTF-8.</param>
    /// <param name="sourceName">Names the source in errors; defaults to "the recordings".</param>
    /// <returns>The recordings.</returns>
    /// <exception cref="InvalidDataException">The stream is not in the recordings format.</exception>
    public static RecordingFile Load(Stream stream, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            return Validate(JsonSerializer.Deserialize<RecordingFile>(stream, s_readOptions), sourceName);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{sourceName ?? "The recordings"} is not a valid recordings file: {ex.Message}", ex);
        }
    }

    /// <summary>Reads recordings from JSON text.</summary>
    /// <param name="json">The JSON.</param>
    /// <returns>The recordings.</returns>
    /// <exception cref="InvalidDataException">The text is not in the recordings format.</exception>
    public static RecordingFile Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return Validate(JsonSerializer.Deserialize<RecordingFile>(json, s_readOptions), null);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The recordings are not valid: {ex.Message}", ex);
        }
    }

    /// <summary>The recordings as indented JSON, in the format <see cref="Load(string)"/> reads.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, s_writeOptions);

    /// <summary>Writes the recordings as indented JSON to <paramref name="stream"/>.</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when written.</returns>
    public Task SaveAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return JsonSerializer.SerializeAsync(stream, this, s_writeOptions, cancellationToken);
    }

    /// <summary>Writes the recordings as indented JSON to the file at <paramref name="path"/>, replacing it.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when written.</returns>
    public async Task SaveAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = File.Create(path);
        await using (stream.ConfigureAwait(false))
        {
            await SaveAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    private static RecordingFile Validate(RecordingFile? file, string? sourceName)
    {
        var name = sourceName ?? "The recordings";
        if (file is null)
        {
            throw new InvalidDataException($"{name} is empty: expected {{ \"holes\": [ ... ] }}.");
        }

        for (var i = 0; i < file.Holes.Count; i++)
        {
            var entry = file.Holes[i];
            if (entry is null || string.IsNullOrEmpty(entry.Task))
            {
                throw new InvalidDataException($"{name}: holes[{i}] has no \"task\".");
            }

            if (entry.Replies.Count == 0)
            {
                throw new InvalidDataException($"{name}: holes[{i}] (\"{entry.Task}\") has no \"replies\".");
            }
        }

        return file;
    }
}
