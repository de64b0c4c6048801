using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Holes.Telemetry;

/// <summary>What every hole of one session reports through: its logger, its progress sink, and the model it asks.</summary>
internal sealed class SessionTelemetry
{
    public SessionTelemetry(IChatClient client, HoleOptions options, ILoggerFactory? loggerFactory)
    {
        Logger = loggerFactory?.CreateLogger(HolesTelemetry.LogCategory) ?? NullLogger.Instance;
        Progress = options.Progress;
        MaxAttempts = options.MaxAttempts;
        var metadata = Metadata(client);
        Model = options.ChatOptions?.ModelId ?? metadata?.DefaultModelId ?? "unknown";
        Provider = metadata?.ProviderName;
    }

    public ILogger Logger { get; }

    public IProgress<HoleProgress>? Progress { get; }

    public int MaxAttempts { get; }

    /// <summary>
    /// The model holes ask: the request's model id, else the client's default. (When keyed models arrive, the key
    /// travels next to it as <see cref="HoleTags.ModelKey"/>.)
    /// </summary>
    public string Model { get; }

    /// <summary>The provider the client names (<c>openai</c>, <c>ollama</c>, ...), when it says.</summary>
    public string? Provider { get; }

    private static ChatClientMetadata? Metadata(IChatClient client)
    {
        try
        {
            return client.GetService<ChatClientMetadata>();
        }
        catch (Exception)
        {
            // A client's GetService must not stop a session from starting; the model is then "unknown".
            return null;
        }
    }
}
