using System.ClientModel;
using System.ClientModel.Primitives;
using Holes.Testing;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OpenAI;

/// <summary>
/// Picks the chat client from environment variables:
/// <list type="bullet">
/// <item><description><c>HOLES_PROVIDER</c> unset: replay the hand-written fills in <c>recordings.json</c> (or the file named by <c>HOLES_REPLAY</c>); no model needed.</description></item>
/// <item><description><c>HOLES_PROVIDER=openai</c>: <c>OPENAI_API_KEY</c>, <c>HOLES_MODEL</c> (default gpt-4.1-mini).</description></item>
/// <item><description><c>HOLES_BASE_URL</c> (implies <c>openai</c>): any OpenAI-compatible server (vLLM, LM Studio, llama.cpp, Ollama's <c>/v1</c>); <c>HOLES_MODEL</c> is required, <c>OPENAI_API_KEY</c> optional.</description></item>
/// <item><description><c>HOLES_PROVIDER=azure</c>: <c>AZURE_OPENAI_ENDPOINT</c>, <c>AZURE_OPENAI_API_KEY</c>, <c>HOLES_MODEL</c> (the deployment name).</description></item>
/// <item><description><c>HOLES_PROVIDER=ollama</c>: <c>OLLAMA_ENDPOINT</c> (default http://localhost:11434), <c>HOLES_MODEL</c> (default qwen2.5-coder).</description></item>
/// </list>
/// With a live model, <c>HOLES_RECORD=path</c> records every fill to that file, to replay later with <c>HOLES_REPLAY=path</c>.
/// </summary>
internal sealed class ModelSelection : IDisposable
{
    private const string DefaultRecordings = "recordings.json";

    private ModelSelection(IChatClient? client, string description, RecordingChatClient? recorder = null, string? recordPath = null)
    {
        Client = client is not null && Wrap is { } wrap ? wrap(client) : client;
        Description = description;
        Recorder = recorder;
        RecordPath = recordPath;
    }

    /// <summary>
    /// Wraps the chosen client, when set. The prompt-cost section of benchmarks/Holes.Benchmarks plays this gallery in
    /// its own process and sets it to see every request the holes send.
    /// </summary>
    internal static Func<IChatClient, IChatClient>? Wrap { get; set; }

    /// <summary>The client holes are filled with; <see langword="null"/> when the configuration is incomplete.</summary>
    public IChatClient? Client { get; }

    /// <summary>One line saying which model is used, or what is missing.</summary>
    public string Description { get; }

    /// <summary>Records the live model's fills when <c>HOLES_RECORD</c> is set.</summary>
    public RecordingChatClient? Recorder { get; }

    /// <summary>Where <see cref="Recorder"/> saves.</summary>
    public string? RecordPath { get; }

    public static ModelSelection FromEnvironment()
    {
        var baseUrl = Variable("HOLES_BASE_URL");
        var provider = Variable("HOLES_PROVIDER")?.ToLowerInvariant() ?? (baseUrl is null ? null : "openai");
        var model = Variable("HOLES_MODEL");
        var record = Variable("HOLES_RECORD");

        if (provider is null)
        {
            if (record is not null)
            {
                return Failed("HOLES_RECORD records a live model's fills: set HOLES_PROVIDER=openai|azure|ollama (or HOLES_BASE_URL) too.");
            }

            var replay = Variable("HOLES_REPLAY");
            var path = replay ?? Path.Combine(AppContext.BaseDirectory, DefaultRecordings);
            if (!File.Exists(path))
            {
                return Failed($"No recordings at {path}. Set HOLES_REPLAY to a recordings file, or HOLES_PROVIDER=openai|azure|ollama to use a live model.");
            }

            return new ModelSelection(
                new ReplayChatClient(path),
                replay is null
                    ? $"No model configured: replaying recorded fills from {DefaultRecordings} (set HOLES_PROVIDER=openai|azure|ollama or HOLES_BASE_URL to use a live model)."
                    : $"No model configured: replaying recorded fills from {replay} (HOLES_REPLAY).");
        }

        IChatClient live;
        string description;
        switch (provider)
        {
            case "openai" when baseUrl is not null:
                {
                    // Any server that speaks OpenAI's chat completions: vLLM, LM Studio, llama.cpp's server, Ollama's /v1.
                    if (!Uri.TryCreate(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute, out var endpoint))
                    {
                        return Failed($"HOLES_BASE_URL is not an absolute URL: {baseUrl} (for example http://localhost:8000/v1).");
                    }

                    if (model is null)
                    {
                        return Failed($"HOLES_BASE_URL={baseUrl} needs HOLES_MODEL: the model name the server serves (for example Qwen/Qwen2.5-Coder-7B-Instruct).");
                    }

                    // Local servers usually ignore the key; the client needs one to send.
                    live = new OpenAIClient(new ApiKeyCredential(Variable("OPENAI_API_KEY") ?? "unused"), ClientOptions(endpoint))
                        .GetChatClient(model)
                        .AsIChatClient();
                    description = $"Using model {model} at the OpenAI-compatible server {endpoint} (HOLES_BASE_URL)";
                    break;
                }

            case "openai":
                {
                    var key = Variable("OPENAI_API_KEY");
                    if (key is null)
                    {
                        return Failed("HOLES_PROVIDER=openai needs OPENAI_API_KEY (or HOLES_BASE_URL for an OpenAI-compatible server).");
                    }

                    model ??= "gpt-4.1-mini";
                    live = new OpenAIClient(new ApiKeyCredential(key), ClientOptions(endpoint: null)).GetChatClient(model).AsIChatClient();
                    description = $"Using OpenAI model {model} (HOLES_PROVIDER=openai)";
                    break;
                }

            case "azure":
                {
                    var endpoint = Variable("AZURE_OPENAI_ENDPOINT");
                    var key = Variable("AZURE_OPENAI_API_KEY");
                    var missing = new[] { ("AZURE_OPENAI_ENDPOINT", endpoint), ("AZURE_OPENAI_API_KEY", key), ("HOLES_MODEL", model) }
                        .Where(v => v.Item2 is null).Select(v => v.Item1).ToList();
                    if (missing.Count > 0)
                    {
                        return Failed($"HOLES_PROVIDER=azure needs {string.Join(", ", missing)} (HOLES_MODEL is the deployment name).");
                    }

                    if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var baseUri))
                    {
                        return Failed($"AZURE_OPENAI_ENDPOINT is not an absolute URL: {endpoint}");
                    }

                    // The Azure OpenAI v1 API speaks the OpenAI protocol: the plain OpenAI client works against it.
                    var v1 = new Uri(baseUri.GetLeftPart(UriPartial.Authority) + "/openai/v1/");
                    live = new OpenAIClient(new ApiKeyCredential(key!), ClientOptions(v1))
                        .GetChatClient(model)
                        .AsIChatClient();
                    description = $"Using Azure OpenAI deployment {model} at {v1} (HOLES_PROVIDER=azure)";
                    break;
                }

            case "ollama":
                {
                    var endpoint = Variable("OLLAMA_ENDPOINT") ?? "http://localhost:11434";
                    if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
                    {
                        return Failed($"OLLAMA_ENDPOINT is not an absolute URL: {endpoint}");
                    }

                    model ??= "qwen2.5-coder";
                    live = new OllamaApiClient(uri, model);
                    description = $"Using Ollama model {model} at {uri} (HOLES_PROVIDER=ollama)";
                    break;
                }

            default:
                return Failed($"HOLES_PROVIDER={provider} is not supported: use openai, azure or ollama (or unset it to replay recorded fills).");
        }

        if (record is null)
        {
            return new ModelSelection(live, description + ".");
        }

        var recordPath = Path.GetFullPath(record);
        var recorder = new RecordingChatClient(live);
        return new ModelSelection(recorder, $"{description}, recording fills to {recordPath} (HOLES_RECORD).", recorder, recordPath);
    }

    public void Dispose() => Client?.Dispose();

    private static ModelSelection Failed(string message) => new(null, message);

    /// <summary>
    /// Holes retries transient failures (429, 5xx, dropped connections) and bounds each call with
    /// HoleOptions.ModelTimeout, so the OpenAI client's own retries are off and its network timeout is above Holes'.
    /// </summary>
    private static OpenAIClientOptions ClientOptions(Uri? endpoint)
    {
        var options = new OpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(maxRetries: 0), NetworkTimeout = TimeSpan.FromMinutes(10) };
        if (endpoint is not null)
        {
            options.Endpoint = endpoint;
        }

        return options;
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value.Trim() : null;
}
