using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OpenAI;

namespace Holes.Integration.Tests;

/// <summary>
/// An OpenAI-compatible chat completions server on the loopback address (Kestrel, port chosen by the OS), started
/// inside the test. Each request is answered by the next scripted behaviour: a reply, an HTTP error with headers, a
/// hang, or a dropped connection. Every request body is kept for assertions.
/// </summary>
internal sealed class FakeOpenAIServer : IAsyncDisposable
{
    public const string Model = "gpt-test";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _script = new();
    private readonly ConcurrentQueue<JsonObject> _requests = new();
    private readonly CancellationTokenSource _stopping = new();

    private FakeOpenAIServer(WebApplication app) => _app = app;

    /// <summary>The base URL an OpenAI client is pointed at: <c>http://127.0.0.1:port/v1/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every request body received, in order.</summary>
    public IReadOnlyList<JsonObject> Requests => [.. _requests];

    public static async Task<FakeOpenAIServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpenAIServer(app);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Urls.Single().TrimEnd('/') + "/v1/");
        return server;
    }

    /// <summary>
    /// The real OpenAI client pointed at this server, as Microsoft.Extensions.AI's <see cref="IChatClient"/>. Its own
    /// retries are off (Holes retries transient failures), as docs/models.md recommends.
    /// </summary>
    public IChatClient ChatClient() =>
        new OpenAIClient(new ApiKeyCredential("test-key"), new OpenAIClientOptions
        {
            Endpoint = BaseUrl,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(30),
        }).GetChatClient(Model).AsIChatClient();

    /// <summary>Answers with <paramref name="content"/> as the assistant message, reporting the given usage.</summary>
    public FakeOpenAIServer Reply(string content, int promptTokens = 120, int completionTokens = 12) => Then(async context =>
    {
        var body = new JsonObject
        {
            ["id"] = "chatcmpl-test",
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = Model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = promptTokens, ["completion_tokens"] = completionTokens, ["total_tokens"] = promptTokens + completionTokens },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    });

    /// <summary>Answers with the structured <c>{"code": ..., "giveUp": null}</c> object.</summary>
    public FakeOpenAIServer ReplyWithCode(string code) => Reply(Holes.Testing.FillReplies.Code(code));

    /// <summary>Answers with an HTTP error in OpenAI's error shape.</summary>
    public FakeOpenAIServer Status(int status, params (string Name, string Value)[] headers) => Then(async context =>
    {
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentType = "application/json";
        var error = new JsonObject { ["error"] = new JsonObject { ["message"] = $"scripted status {status}", ["type"] = "server_error", ["code"] = null } };
        await context.Response.WriteAsync(error.ToJsonString());
    });

    /// <summary>Never answers: waits until the client gives up (or the server stops).</summary>
    public FakeOpenAIServer Hang() => Then(async context =>
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException)
        {
            // The client went away, as it should.
        }
    });

    /// <summary>Drops the connection without an answer.</summary>
    public FakeOpenAIServer CloseConnection() => Then(context =>
    {
        context.Abort();
        return Task.CompletedTask;
    });

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private FakeOpenAIServer Then(Func<HttpContext, Task> behaviour)
    {
        _script.Enqueue(behaviour);
        return this;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject ?? [];
        _requests.Enqueue(body);
        if (_script.TryDequeue(out var behaviour))
        {
            await behaviour(context);
            return;
        }

        context.Response.StatusCode = 418;
        await context.Response.WriteAsync("""{"error":{"message":"FakeOpenAIServer has nothing scripted for this request","type":"test"}}""");
    }
}

internal static class JsonNodeExtensions
{
    /// <summary>The text of the request's system message as sent on the wire.</summary>
    public static string SystemMessage(this JsonObject request) =>
        request["messages"]!.AsArray().Single(m => (string?)m!["role"] == "system")!["content"]!.ToJsonString();

    public static string Compact(this JsonNode? node) => node?.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) ?? "null";
}
