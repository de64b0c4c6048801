using System.Net;
using System.Net.Http.Json;
using Holes.Capabilities;
using Holes.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Holes.Agents;

namespace Holes.Integration.Tests;

/// <summary>
/// <c>services.AddHoles()</c>: options through <see cref="IOptions{TOptions}"/> from the <c>Holes</c> section, and a
/// session that holes in a hosted service or a minimal API endpoint find without anyone setting
/// <see cref="AgentSession.Current"/>. Also the explicit scope, and the error when a session was set where it does not flow.
/// </summary>
[Collection(ProcessWide.Name)]
public sealed class HostingTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public async Task AddHoles_binds_the_Holes_section_of_the_containers_configuration()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Configuration(
            ("Holes:MaxAttempts", "2"), ("Holes:Timeout", "00:05:00"), ("Holes:ModelTimeout", "00:00:30"), ("Holes:ModelRetry:MaxRetries", "5"),
            ("Holes:UseStructuredOutput", "false"), ("Holes:ChatOptions:ModelId", "qwen2.5-coder"), ("Holes:Policy:AllowConsole", "true")));
        services.AddChatClient(new ScriptedChatClient());
        services.AddHoles(o => o.MaxDepth = 3);
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<HoleOptions>>().Value;
        Assert.Equal(2, options.MaxAttempts);
        Assert.Equal(3, options.MaxDepth);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ModelTimeout);
        Assert.Equal(5, options.ModelRetry.MaxRetries);
        Assert.False(options.UseStructuredOutput);
        Assert.Equal("qwen2.5-coder", options.ChatOptions?.ModelId);
        Assert.True(options.Policy.AllowConsole);
        Assert.False(CapabilityPolicy.Default.AllowConsole);   // the shared default policy is never bound into
        Assert.Same(options, provider.GetRequiredService<AgentSession>().Options);
    }

    [Fact]
    public async Task AddHoles_binds_a_section_handed_to_it_and_the_callback_has_the_last_word()
    {
        var services = new ServiceCollection();
        services.AddChatClient(new ScriptedChatClient());
        services.AddHoles(Configuration(("MaxAttempts", "6"), ("MaxDepth", "2")), o => o.MaxDepth = 5);
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<HoleOptions>>().Value;
        Assert.Equal(6, options.MaxAttempts);
        Assert.Equal(5, options.MaxDepth);
    }

    [Fact]
    public async Task Invalid_options_are_reported_naming_the_section_and_the_option()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Configuration(("Holes:MaxAttempts", "0")));
        services.AddChatClient(new ScriptedChatClient());
        services.AddHoles();
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<AgentSession>());
        Assert.Contains("configuration section \"Holes\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("HoleOptions.MaxAttempts must be at least 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddHoles_makes_every_keyed_chat_client_a_model_described_by_the_configuration()
    {
        var main = new ScriptedChatClient { ModelId = "big" }.ReplyWithCode("return 1;");
        var fast = new ScriptedChatClient { ModelId = "small" }.ReplyWithCode("return 2;");
        var services = new ServiceCollection();
        services.AddSingleton(Configuration(("Holes:ModelDescriptions:fast", "cheap and quick: summaries, lookups")));
        services.AddChatClient(main);
        services.AddHoles();
        services.AddKeyedChatClient("fast", fast);   // after AddHoles(): still picked up
        services.AddKeyedSingleton<IChatClient>(42, new ScriptedChatClient());   // not a string key: not a model
        await using var provider = services.BuildServiceProvider();

        var session = provider.GetRequiredService<AgentSession>();
        Assert.Equal([AgentSession.DefaultModelKey, "fast"], session.Models.Keys);
        Assert.Equal("cheap and quick: summaries, lookups", session.Models["fast"].Description);

        using var entered = session.Enter();
        Assert.Equal(1, await agent<int>("one"));
        using (session.UseModel("fast"))
        {
            Assert.Equal(2, await agent<int>("two"));
        }

        Assert.Single(main.Requests);
        Assert.Single(fast.Requests);
        Assert.Contains("- `fast` (small): cheap and quick: summaries, lookups\n", main.Requests[0].Prompt, StringComparison.Ordinal);
        Assert.Equal(1, session.Stats.ModelKeys["fast"].Calls);
    }

    [Fact]
    public async Task AddHoles_with_only_keyed_chat_clients_says_the_default_is_missing()
    {
        var services = new ServiceCollection();
        services.AddKeyedChatClient("fast", new ScriptedChatClient());
        services.AddHoles();
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<AgentSession>());
        Assert.Contains("without a key, the session's default model (there are only keyed ones: \"fast\")", error.Message, StringComparison.Ordinal);

        var reserved = new ServiceCollection();
        reserved.AddChatClient(new ScriptedChatClient());
        reserved.AddKeyedChatClient(AgentSession.DefaultModelKey, new ScriptedChatClient());
        reserved.AddHoles();
        await using var reservedProvider = reserved.BuildServiceProvider();
        Assert.Contains("Register it under another key", Assert.Throws<InvalidOperationException>(() => reservedProvider.GetRequiredService<AgentSession>()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hole_in_a_hosted_service_finds_the_session_without_anyone_setting_Current()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddChatClient(new ScriptedChatClient().ReplyWithCode("return 6 * 7;"));
        builder.Services.AddHoles();
        builder.Services.AddSingleton<Answerer>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<Answerer>());
        using var host = builder.Build();

        await host.StartAsync();
        try
        {
            var answerer = host.Services.GetRequiredService<Answerer>();
            Assert.Equal(42, await answerer.Answer.Task.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Same(host.Services.GetRequiredService<AgentSession>(), AgentSession.Default);
            Assert.Null(AgentSession.Current);
        }
        finally
        {
            await host.StopAsync();
        }

        await ((IAsyncDisposable)host.Services).DisposeAsync();
        Assert.Null(AgentSession.Default);   // disposing the container disposed the session, which stopped being the default
    }

    [Fact]
    public async Task A_minimal_API_endpoint_whose_handler_is_a_typed_agent_workflow()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var model = new ScriptedChatClient()
            .WhenTask("the category of ticket", _ => "return ticket.Text.Contains(\"refund\") ? Category.Billing : Category.Technical;")
            .WhenTask("a one-line reply to ticket", _ => "return $\"We are on it: {ticket.Text}\";");
        builder.Services.AddChatClient(model);
        builder.Services.AddHoles();
        await using var app = builder.Build();
        app.MapPost("/tickets", (Ticket ticket) => Triage.RunAsync(ticket));
        await app.StartAsync();

        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        var response = await http.PostAsJsonAsync("/tickets", new Ticket("I want a refund"));
        response.EnsureSuccessStatusCode();
        var triaged = await response.Content.ReadFromJsonAsync<Triaged>();

        Assert.Equal(new Triaged(Category.Billing, "We are on it: I want a refund"), triaged);
        await app.StopAsync();
    }

    [Fact]
    public async Task A_host_without_a_chat_client_does_not_start_and_says_what_to_register()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddHoles();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("AddHoles() needs an IChatClient", error.Message, StringComparison.Ordinal);
        Assert.Contains("services.AddChatClient(", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_set_inside_an_async_helper_is_detected_and_the_error_says_why_and_what_to_do()
    {
        await using var session = new AgentSession(new ScriptedChatClient().ReplyWithCode("return 1;"));
        await SetUpAsync(session);   // the pitfall: the assignment does not flow back here

        var error = await Assert.ThrowsAsync<HoleSessionMissingException>(() => agent<int>("one"));

        Assert.Contains("HostingTests.cs:", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not flow back to the caller", error.Message, StringComparison.Ordinal);
        Assert.Contains("using (session.Enter())", error.Message, StringComparison.Ordinal);
        Assert.Contains("AgentSession.Default = session", error.Message, StringComparison.Ordinal);

        // Each remedy the message names works.
        using (session.Enter())
        {
            Assert.Equal(1, await agent<int>("one"));
        }

        static async Task SetUpAsync(AgentSession session)
        {
            await Task.Yield();
            AgentSession.Current = session;
        }
    }

    [Fact]
    public async Task Enter_scopes_a_session_and_restores_the_previous_one()
    {
        await using var outer = new AgentSession(new ScriptedChatClient().ReplyWithCode("return 1;").ReplyWithCode("return 3;"));
        await using var inner = new AgentSession(new ScriptedChatClient().ReplyWithCode("return 2;"));

        using (outer.Enter())
        {
            Assert.Equal(1, await agent<int>("which session"));
            using (inner.Enter())
            {
                Assert.Equal(2, await agent<int>("which session"));
            }

            Assert.Same(outer, AgentSession.Current);
            Assert.Equal(3, await agent<int>("which session"));
        }

        Assert.Null(AgentSession.Current);
        Assert.Equal(2, outer.Stats.Holes);
        Assert.Equal(1, inner.Stats.Holes);
    }

    [Fact]
    public async Task Current_wins_over_Default_and_a_disposed_session_is_never_the_default()
    {
        await using var fallback = new AgentSession(new ScriptedChatClient().ReplyWithCode("return 1;"));
        await using var current = new AgentSession(new ScriptedChatClient().ReplyWithCode("return 2;"));
        AgentSession.Default = fallback;
        try
        {
            Assert.Equal(1, await agent<int>("which session"));
            AgentSession.Current = current;
            Assert.Equal(2, await agent<int>("which session"));
            AgentSession.Current = null;

            await fallback.DisposeAsync();
            Assert.Null(AgentSession.Default);
            Assert.Throws<ObjectDisposedException>(() => AgentSession.Default = fallback);
        }
        finally
        {
            AgentSession.Default = null;
        }
    }

    /// <summary>A hosted service that fills a hole as the host starts, knowing nothing of sessions.</summary>
    private sealed class Answerer : BackgroundService
    {
        public TaskCompletionSource<int> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                Answer.SetResult(await agent<int>("the answer", stoppingToken));
            }
            catch (Exception ex)
            {
                Answer.SetException(ex);
            }
        }
    }
}

/// <summary>A support ticket posted to the endpoint.</summary>
public sealed record Ticket(string Text);

/// <summary>Where a ticket goes.</summary>
public enum Category
{
    /// <summary>Money.</summary>
    Billing,

    /// <summary>Everything else.</summary>
    Technical,
}

/// <summary>What the workflow made of a ticket.</summary>
public sealed record Triaged(Category Category, string Reply);

/// <summary>A typed agent workflow: two holes and ordinary code between them.</summary>
internal static class Triage
{
    public static async Task<Triaged> RunAsync(Ticket ticket)
    {
        var category = await agent<Category>("the category of ticket", ticket);
        var reply = await agent<string>("a one-line reply to ticket", ticket);
        return new Triaged(category, reply);
    }
}
