using System.Diagnostics;
using System.Text.Json;
using Holes.Telemetry;
using Microsoft.Extensions.AI;

namespace Holes.Pipeline.Model;

/// <summary>Asks the chat client for one fill, with the structured response format, and records usage.</summary>
internal static class ModelInvoker
{
    private static readonly ChatResponseFormat s_format = ChatResponseFormat.ForJsonSchema(
        JsonDocument.Parse(
            """
            {
              "type": "object",
              "properties": {
                "code": { "type": "string", "description": "C# statements ending with a return of the required type; empty when giving up." },
                "giveUp": { "type": ["string", "null"], "description": "Why the task cannot be done with what was given; null otherwise." }
              },
              "required": ["code", "giveUp"],
              "additionalProperties": false
            }
            """).RootElement.Clone(),
        "hole_fill",
        "Code that fills a typed hole in a C# program.");

    public static async Task<ModelReply> AskAsync(IChatClient client, IList<ChatMessage> messages, HoleOptions options, StatsCounters stats, CancellationToken cancellationToken)
    {
        var chatOptions = options.ChatOptions?.Clone() ?? new ChatOptions();
        if (options.UseStructuredOutput)
        {
            chatOptions.ResponseFormat = s_format;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await client.GetResponseAsync(messages, chatOptions, cancellationToken).ConfigureAwait(false);
            stats.Tokens(response.Usage?.InputTokenCount, response.Usage?.OutputTokenCount);
            return CodeExtractor.Extract(response.Text);
        }
        finally
        {
            stats.ModelTime(started);
        }
    }
}
