using System.Globalization;
using System.Text;
using System.Text.Json;
using Holes.Testing;
using Microsoft.Extensions.AI;

/// <summary>
/// Prints each hole as it is filled: its task, the code of every attempt, and why a rejected attempt was rejected.
/// It only watches the chat traffic between the engine and the model (<see cref="HoleRequest"/> says which hole and
/// attempt a request is for; the reply carries the code), so it works with any model and touches nothing in Holes.
/// </summary>
internal sealed class HoleConsoleLog(IChatClient innerClient, TextWriter output) : DelegatingChatClient(innerClient)
{
    private const int MaxValueWidth = 60;

    private readonly Lock _gate = new();
    private int _lastTopLevelAttempt;

    /// <summary>The attempt the latest top-level hole is on: once its value is back, the attempt that was accepted.</summary>
    public int LastTopLevelAttempt => Volatile.Read(ref _lastTopLevelAttempt);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = HoleRequest.From(messages, options);
        var response = await base.GetResponseAsync(request.Messages, options, cancellationToken);
        if (request.Task.Length > 0)
        {
            Print(request, response.Text);
        }

        return response;
    }

    private void Print(HoleRequest request, string reply)
    {
        var depth = Depth(request.Prompt);
        if (depth == 1)
        {
            Volatile.Write(ref _lastTopLevelAttempt, request.Attempt);
        }

        var indent = new string(' ', 2 + (4 * (depth - 1)));
        var text = new StringBuilder();
        if (request.Attempt == 1)
        {
            text.Append(indent).Append(depth == 1 ? "hole: " : "nested hole: ").Append(request.Task);
            if (depth > 1 && FirstValue(request.Prompt) is { } value)
            {
                text.Append("   [").Append(value).Append(']');
            }

            text.AppendLine();
        }
        else
        {
            text.Append(indent).Append("  attempt ").Append(request.Attempt - 1).AppendLine(" was rejected before it ran:");
            foreach (var diagnostic in Diagnostics(request.LastMessage))
            {
                text.Append(indent).Append("      ").AppendLine(diagnostic);
            }
        }

        var (code, giveUp) = Read(reply);
        text.Append(indent).Append("  attempt ").Append(request.Attempt);
        if (giveUp is not null)
        {
            text.Append(": the model gives up: ").AppendLine(giveUp);
        }
        else
        {
            text.AppendLine(":");
            foreach (var line in code.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
            {
                text.Append(indent).Append("    | ").AppendLine(line);
            }
        }

        lock (_gate)
        {
            output.Write(text);
            output.Flush();
        }
    }

    /// <summary>The hole's nesting depth, from its prompt ("Nesting depth 2 of at most 8").</summary>
    private static int Depth(string prompt)
    {
        const string marker = "Nesting depth ";
        var start = prompt.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return 1;
        }

        start += marker.Length;
        var end = start;
        while (end < prompt.Length && char.IsAsciiDigit(prompt[end]))
        {
            end++;
        }

        return int.TryParse(prompt.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out var depth) && depth > 0 ? depth : 1;
    }

    /// <summary>The first value handed to the hole, as the prompt shows it: <c>topic = "LINQ"</c>.</summary>
    private static string? FirstValue(string prompt)
    {
        const string heading = "## Values handed in\n- `";
        var start = prompt.IndexOf(heading, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var line = prompt[(start + heading.Length)..];
        line = line[..(line.IndexOf('\n', StringComparison.Ordinal) is >= 0 and var newline ? newline : line.Length)];
        var name = line[..Math.Max(0, line.IndexOf('`', StringComparison.Ordinal))];
        var equals = line.IndexOf(" = ", StringComparison.Ordinal);
        if (name.Length == 0 || equals < 0)
        {
            return null;
        }

        var value = line[(equals + 3)..];
        return $"{name} = {(value.Length <= MaxValueWidth ? value : value[..(MaxValueWidth - 3)] + "...")}";
    }

    /// <summary>The diagnostics listed in a retry message, or its first line when it lists none.</summary>
    private static IEnumerable<string> Diagnostics(string retryMessage)
    {
        var lines = retryMessage.Split('\n');
        var listed = lines.Where(l => l.StartsWith("- line ", StringComparison.Ordinal)).Select(l => l[2..].TrimEnd('\r')).ToList();
        return listed.Count > 0 ? listed : lines.Take(1);
    }

    /// <summary>The code (or the reason for giving up) in a reply: a JSON object, or prose with a fenced block.</summary>
    private static (string Code, string? GiveUp) Read(string reply)
    {
        var trimmed = reply.Trim();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                using var document = JsonDocument.Parse(trimmed);
                var root = document.RootElement;
                var code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() ?? "" : "";
                var giveUp = root.TryGetProperty("giveUp", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString() : null;
                return (code, string.IsNullOrWhiteSpace(giveUp) ? null : giveUp);
            }
            catch (JsonException)
            {
                // Not JSON after all: show it as it came.
            }
        }

        var fence = trimmed.IndexOf("```", StringComparison.Ordinal);
        if (fence >= 0)
        {
            var start = trimmed.IndexOf('\n', fence);
            var end = start < 0 ? -1 : trimmed.IndexOf("```", start, StringComparison.Ordinal);
            if (end > start)
            {
                return (trimmed[(start + 1)..end].TrimEnd(), null);
            }
        }

        return (trimmed, null);
    }
}
