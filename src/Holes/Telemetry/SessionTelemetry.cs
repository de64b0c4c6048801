using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Holes.Telemetry;

/// <summary>What every hole of one session reports through: its logger and its progress sink.</summary>
internal sealed class SessionTelemetry
{
    public SessionTelemetry(HoleOptions options, ILoggerFactory? loggerFactory)
    {
        Logger = loggerFactory?.CreateLogger(HolesTelemetry.LogCategory) ?? NullLogger.Instance;
        Progress = options.Progress;
        MaxAttempts = options.MaxAttempts;
    }

    public ILogger Logger { get; }

    public IProgress<HoleProgress>? Progress { get; }

    public int MaxAttempts { get; }

    /// <summary>
    /// The model a client asks: <paramref name="modelId"/> (the request's model id) when given, else the client's
    /// default; <c>unknown</c> when neither is known. And the provider the client names (<c>openai</c>, <c>ollama</c>, ...), when it says.
    /// </summary>
    public static (string Model, string? Provider) Describe(IChatClient client, string? modelId)
    {
        ChatClientMetadata? metadata;
        try
        {
            metadata = client.GetService<ChatClientMetadata>();
        }
        catch (Exception)
        {
            // A client's GetService must not stop a session from starting; the model is then "unknown".
            metadata = null;
        }

        return (modelId ?? metadata?.DefaultModelId ?? "unknown", metadata?.ProviderName);
    }
}
