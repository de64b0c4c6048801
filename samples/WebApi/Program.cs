// A minimal API whose endpoint handler is a typed agent workflow. The holes in Triage.RunAsync find their session
// without anyone setting AgentSession.Current: services.AddHoles() makes the registered session the process
// default when the host starts. Options come from the "Holes" section of appsettings.json (IOptions<HoleOptions>);
// logs from the "Holes" category, and traces and metrics from the "Holes" source and meter.
//
//   dotnet run --project samples/WebApi                       # a demo model (no network) on http://localhost:5080
//   curl -s localhost:5080/tickets -H 'content-type: application/json' -d '{"from":"ana@example.com","text":"I was charged twice, please refund"}'
//   dotnet run --project samples/WebApi -- --self-test        # starts, posts two tickets to itself, prints, stops
//
// A live model: Model__BaseUrl=https://api.openai.com/v1 Model__ApiKey=sk-... (or any OpenAI-compatible server,
// e.g. Model__BaseUrl=http://localhost:11434/v1 Model__Name=qwen2.5-coder). Tracing__Console=true prints spans.
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Json;
using Holes;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using static Holes.Agents;

var selfTest = args.Contains("--self-test");
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--self-test").ToArray());
builder.WebHost.UseUrls(selfTest ? "http://127.0.0.1:0" : "http://localhost:5080");

// The model: Microsoft.Extensions.AI's IChatClient, with its own logging and OpenTelemetry spans.
builder.Services.AddChatClient(services => ModelFor(builder.Configuration.GetSection("Model")))
    .UseLogging()
    .UseOpenTelemetry();

// Holes: options from the "Holes" section; one session, the process default.
builder.Services.AddHoles(builder.Configuration.GetSection(HoleOptions.ConfigurationSectionName));

var otel = builder.Services.AddOpenTelemetry()
    .WithTracing(tracing => tracing.AddSource(HolesTelemetry.ActivitySourceName, "Experimental.Microsoft.Extensions.AI"))
    .WithMetrics(metrics => metrics.AddMeter(HolesTelemetry.MeterName));
if (builder.Configuration.GetValue<bool>("Tracing:Console"))
{
    otel.WithTracing(tracing => tracing.AddConsoleExporter());
}

builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));

var app = builder.Build();

// The endpoint's handler is the workflow: typed holes and ordinary code between them.
app.MapPost("/tickets", (Ticket ticket, CancellationToken cancellationToken) => Triage.RunAsync(ticket, cancellationToken));
app.MapGet("/stats", (AgentSession session) => session.Stats.ToString());

if (!selfTest)
{
    await app.RunAsync();
    return 0;
}

await app.StartAsync();
using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
foreach (var ticket in new[] { new Ticket("ana@example.com", "I was charged twice, please refund"), new Ticket("bo@example.com", "The app crashes when I upload a photo") })
{
    var response = await http.PostAsJsonAsync("/tickets", ticket);
    response.EnsureSuccessStatusCode();
    Console.WriteLine($"POST /tickets {ticket.Text} => {await response.Content.ReadAsStringAsync()}");
}

Console.WriteLine($"GET /stats => {await http.GetStringAsync("/stats")}");
await app.StopAsync();
return 0;

static IChatClient ModelFor(IConfigurationSection model)
{
    if (string.IsNullOrEmpty(model["BaseUrl"]))
    {
        return DemoModel.Create();
    }

    // Holes retries transient failures and bounds each call; the client's own retries are off (see docs/models.md).
    var options = new OpenAIClientOptions
    {
        Endpoint = new Uri(model["BaseUrl"]!),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = TimeSpan.FromMinutes(10),
    };
    return new OpenAIClient(new ApiKeyCredential(model["ApiKey"] is { Length: > 0 } key ? key : "unused"), options)
        .GetChatClient(model["Name"] ?? "gpt-4.1-mini")
        .AsIChatClient();
}

/// <summary>A support ticket.</summary>
/// <param name="From">Who wrote it.</param>
/// <param name="Text">What they wrote.</param>
public sealed record Ticket(string From, string Text);

/// <summary>Which team handles a ticket.</summary>
public enum Team
{
    /// <summary>Charges, refunds, invoices.</summary>
    Billing,

    /// <summary>Bugs and crashes.</summary>
    Engineering,

    /// <summary>Everything else.</summary>
    Support,
}

/// <summary>What the workflow decided.</summary>
/// <param name="Team">Who handles it.</param>
/// <param name="Urgent">Whether it jumps the queue.</param>
/// <param name="Reply">The first answer to the customer.</param>
public sealed record Triaged(Team Team, bool Urgent, string Reply);

/// <summary>The workflow behind POST /tickets.</summary>
internal static class Triage
{
    public static async Task<Triaged> RunAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        var team = await agent<Team>("the team that should handle ticket", cancellationToken, ticket);
        var urgent = team != Team.Support && await agent<bool>("whether ticket is urgent: money lost or the app unusable", cancellationToken, ticket);
        var reply = await agent<string>("a short, friendly first reply to ticket that says which team has it", cancellationToken, ticket, team);
        return new Triaged(team, urgent, reply);
    }
}

/// <summary>A stand-in model for running the sample with no network: it answers each task with plausible code.</summary>
internal static class DemoModel
{
    public static IChatClient Create() => new Holes.Testing.ScriptedChatClient { ModelId = "demo-model" }
        .WhenTask("the team that should handle ticket", _ =>
            "var text = ticket.Text.ToLowerInvariant();\n" +
            "return text.Contains(\"refund\") || text.Contains(\"charged\") ? Team.Billing : text.Contains(\"crash\") ? Team.Engineering : Team.Support;")
        .WhenTask("whether ticket is urgent: money lost or the app unusable", _ => "return ticket.Text.Contains(\"twice\") || ticket.Text.Contains(\"crash\");")
        .WhenTask("a short, friendly first reply to ticket that says which team has it", _ =>
            "return $\"Thanks for writing, {ticket.From.Split('@')[0]}: our {team} team has your ticket and will answer soon.\";");
}
