using System.Diagnostics;
using System.Text.Json;
using Holes.Pipeline.Nesting;
using Holes.Telemetry;
using Microsoft.Extensions.AI;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Holes.Pipeline.Model;

/// <summary>
/// Asks the chat client for one fill, with the structured response format, through a resilience pipeline: a
/// per-call timeout (<see cref="HoleOptions.ModelTimeout"/>) inside retries of transient failures
/// (<see cref="HoleOptions.ModelRetry"/>, honouring <c>Retry-After</c>). Records usage as reported, never estimated.
/// Every failure leaves as a <see cref="HoleException"/> that names the site, the attempt and the limit that was hit.
/// </summary>
internal sealed class ModelInvoker
{
    /// <summary>OpenAI's structured outputs: the schema is enforced exactly (Microsoft.Extensions.AI.OpenAI reads this key).</summary>
    internal const string StrictSchemaKey = "strict";

    private static readonly ResiliencePropertyKey<HoleTrace?> s_traceKey = new("holes.trace");

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

    private readonly IChatClient _client;
    private readonly HoleOptions _options;
    private readonly StatsCounters _stats;
    private readonly string _key;
    private readonly string _model;
    private readonly ResiliencePipeline _pipeline;

    /// <param name="client">The chat client of one of the session's models.</param>
    /// <param name="key">The model's key; only the default model is sent <see cref="HoleOptions.ChatOptions"/>' model id, the others ask their client's own model.</param>
    /// <param name="model">The model's name, for statistics and messages.</param>
    /// <param name="options">The session's options.</param>
    /// <param name="stats">The session's counters.</param>
    public ModelInvoker(IChatClient client, string key, string model, HoleOptions options, StatsCounters stats)
    {
        _client = client;
        _options = options;
        _stats = stats;
        _key = key;
        _model = model;
        _pipeline = BuildPipeline(options, stats);
    }

    public async Task<ModelReply> AskAsync(IList<ChatMessage> messages, HoleContext hole, int attempt, HoleTrace? trace, CancellationToken cancellationToken)
    {
        var chatOptions = _options.ChatOptions?.Clone() ?? new ChatOptions();
        if (_key != AgentSession.DefaultModelKey)
        {
            chatOptions.ModelId = null;
        }

        if (_options.UseStructuredOutput)
        {
            chatOptions.ResponseFormat = s_format;
            chatOptions.AdditionalProperties ??= [];
            chatOptions.AdditionalProperties.TryAdd(StrictSchemaKey, true);
        }

        var call = new Call(_client, messages, chatOptions);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(s_traceKey, trace);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await _pipeline.ExecuteAsync(
                static async (ctx, call) =>
                {
                    call.Tries++;
                    return await call.Client.GetResponseAsync(call.Messages, call.Options, ctx.CancellationToken).ConfigureAwait(false);
                },
                context,
                call).ConfigureAwait(false);

            var elapsed = Stopwatch.GetElapsedTime(started);
            var input = response.Usage?.InputTokenCount;
            var output = response.Usage?.OutputTokenCount;
            _stats.ModelCall(_model, _key, input, output, elapsed);
            trace?.ModelAnswered(response.ModelId, input, output, elapsed);
            return CodeExtractor.Extract(response.Text) with { InputTokens = input, OutputTokens = output };
        }
        catch (TimeoutRejectedException ex)
        {
            throw new HoleTimeoutException(hole.Site.Location, hole.Task, $"{nameof(HoleOptions)}.{nameof(HoleOptions.ModelTimeout)}",
                _options.ModelTimeout!.Value, $"attempt {attempt}, try {call.Tries}, waiting for {_model}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Nobody here cancelled: the chat client's own timeout fired first.
            throw new HoleModelException(hole.Site.Location, hole.Task, attempt, ex, call.Tries,
                "The chat client gave up on its own, before HoleOptions.ModelTimeout: its own timeout is shorter (the OpenAI client's " +
                "OpenAIClientOptions.NetworkTimeout and HttpClient.Timeout are 100 s by default). Raise it above HoleOptions.ModelTimeout, " +
                "or lower HoleOptions.ModelTimeout, so one limit governs.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not HoleException)
        {
            throw new HoleModelException(hole.Site.Location, hole.Task, attempt, ex, call.Tries, Advice(ex, call.Tries));
        }
        finally
        {
            _stats.ModelTime(started);
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private string Advice(Exception failure, int tries)
    {
        var retry = _options.ModelRetry;
        if (ProviderFailure.IsTransient(failure, retry))
        {
            if (ProviderFailure.RetryAfter(failure) is { } wait && wait > retry.MaxDelay)
            {
                return $"The provider asked to wait {HoleTimeoutException.Duration(wait)} before retrying (Retry-After), longer than " +
                       $"HoleOptions.ModelRetry.MaxDelay = {HoleTimeoutException.Duration(retry.MaxDelay)}, so it was not retried. " +
                       "Run it again later, or raise MaxDelay.";
            }

            return retry.MaxRetries == 0
                ? "The failure looks transient (rate limit, server error or dropped connection), but HoleOptions.ModelRetry.MaxRetries is 0. Raise it to retry."
                : $"The failure looks transient (rate limit, server error or dropped connection); it was retried {tries - 1} time(s) " +
                  $"(HoleOptions.ModelRetry.MaxRetries = {retry.MaxRetries}). Try again later, or raise MaxRetries.";
        }

        return ProviderFailure.Status(failure) switch
        {
            401 or 403 => "The provider refused the credentials: check the API key and that it may use this model.",
            404 => "The provider does not know the endpoint or the model: check the model id, and that an OpenAI-compatible base URL ends in /v1.",
            400 or 422 => "The provider rejected the request. If it names response_format or json_schema, the provider does not support " +
                          "structured output: set HoleOptions.UseStructuredOutput = false.",
            _ => "Check the chat client's configuration (endpoint, key, model id).",
        };
    }

    private static ResiliencePipeline BuildPipeline(HoleOptions options, StatsCounters stats)
    {
        var retry = options.ModelRetry;
        var builder = new ResiliencePipelineBuilder();
        if (retry.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = retry.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retry.BaseDelay,
                MaxDelay = retry.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && ShouldRetry(ex, retry)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is { } ex ? ProviderFailure.RetryAfter(ex) : null),
                OnRetry = args =>
                {
                    stats.ModelRetry();
                    if (args.Context.Properties.TryGetValue(s_traceKey, out var trace) && args.Outcome.Exception is { } failure)
                    {
                        trace?.ModelRetrying(args.AttemptNumber + 1, retry.MaxRetries, args.RetryDelay, failure);
                    }

                    return default;
                },
            });
        }

        if (options.ModelTimeout is { } timeout)
        {
            builder.AddTimeout(timeout);
        }

        return builder.Build();
    }

    private static bool ShouldRetry(Exception failure, ModelRetryOptions retry) =>
        failure is not (OperationCanceledException or TimeoutRejectedException or HoleException)
        && ProviderFailure.IsTransient(failure, retry)
        && !(ProviderFailure.RetryAfter(failure) is { } wait && wait > retry.MaxDelay);

    private sealed class Call(IChatClient client, IList<ChatMessage> messages, ChatOptions options)
    {
        public IChatClient Client { get; } = client;

        public IList<ChatMessage> Messages { get; } = messages;

        public ChatOptions Options { get; } = options;

        public int Tries { get; set; }
    }
}
