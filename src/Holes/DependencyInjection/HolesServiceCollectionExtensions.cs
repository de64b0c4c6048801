using Holes;
using Holes.DependencyInjection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Holes with a service collection.</summary>
public static class HolesServiceCollectionExtensions
{
    /// <summary>
    /// Registers Holes: <see cref="HoleOptions"/> through <see cref="IOptions{TOptions}"/>, bound from the
    /// configuration section <c>Holes</c> when the container has an <see cref="IConfiguration"/> (a generic host or
    /// web application always does), then adjusted by <paramref name="configure"/>; and one
    /// <see cref="AgentSession"/> (a singleton) over the registered <see cref="IChatClient"/>, which becomes
    /// <see cref="AgentSession.Default"/> when the host starts, or when it is first resolved. So a hole in a hosted
    /// service or a minimal API endpoint finds its session without anyone setting <see cref="AgentSession.Current"/>.
    /// </summary>
    /// <remarks>
    /// Register the chat client first, e.g. <c>services.AddChatClient(client).UseOpenTelemetry().UseLogging()</c>.
    /// Every keyed <see cref="IChatClient"/> with a string key (<c>services.AddKeyedChatClient("fast", client)</c>,
    /// before or after this call) becomes one of the session's <see cref="AgentSession.Models"/> under its key, described by
    /// <see cref="HoleOptions.ModelDescriptions"/>; the unkeyed client is the default model.
    /// The session logs through the container's <see cref="ILoggerFactory"/>. Its variables are shared by every hole
    /// that uses it; for holes that must not see each other's variables (one per request, say), create a session of
    /// their own and use it with <see cref="AgentSession.Enter"/>.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adjusts the options after configuration is bound; optional.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddHoles(this IServiceCollection services, Action<HoleOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IConfigureOptions<HoleOptions>>(provider => new ConfigureNamedOptions<HoleOptions>(
            Options.Options.DefaultName,
            options => HoleOptionsBinding.Bind(provider.GetService<IConfiguration>()?.GetSection(HoleOptions.ConfigurationSectionName), options)));
        return AddCore(services, configure);
    }

    /// <summary>
    /// Registers Holes like <see cref="AddHoles(IServiceCollection, Action{HoleOptions}?)"/>, binding the options from
    /// <paramref name="configuration"/> (the section itself, e.g. <c>builder.Configuration.GetSection("Holes")</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding the options (<c>MaxAttempts</c>, <c>Timeout</c>, <c>ModelTimeout</c>, <c>ModelRetry:MaxRetries</c>, <c>ChatOptions:ModelId</c>, ...).</param>
    /// <param name="configure">Adjusts the options after the section is bound; optional.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddHoles(this IServiceCollection services, IConfiguration configuration, Action<HoleOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<IConfigureOptions<HoleOptions>>(new ConfigureNamedOptions<HoleOptions>(
            Options.Options.DefaultName, options => HoleOptionsBinding.Bind(configuration, options)));
        return AddCore(services, configure);
    }

    private static IServiceCollection AddCore(IServiceCollection services, Action<HoleOptions>? configure)
    {
        services.AddOptions<HoleOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HoleOptions>, HoleOptionsBinding>());
        // The collection is read when the session is created, so keyed clients registered after AddHoles() count too.
        services.TryAddSingleton(provider => CreateSession(provider, services));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DefaultSessionActivator>());
        return services;
    }

    private static AgentSession CreateSession(IServiceProvider provider, IServiceCollection services)
    {
        var keys = services.Where(d => d.IsKeyedService && d.ServiceType == typeof(IChatClient) && d.ServiceKey is string)
            .Select(d => (string)d.ServiceKey!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var client = provider.GetService<IChatClient>() ?? throw new InvalidOperationException(
            "AddHoles() needs an IChatClient in the service collection" +
            (keys.Count > 0 ? $" without a key, the session's default model (there are only keyed ones: {string.Join(", ", keys.Select(k => $"\"{k}\""))})" : "") +
            ". Register one first, e.g. services.AddChatClient(new OpenAI.Chat.ChatClient(model, key).AsIChatClient()) or services.AddChatClient(new OllamaApiClient(...)).");
        if (keys.Contains(AgentSession.DefaultModelKey))
        {
            throw new InvalidOperationException(
                $"A keyed IChatClient is registered under \"{AgentSession.DefaultModelKey}\", which AddHoles() keeps for the unkeyed IChatClient, the session's default model. Register it under another key.");
        }

        var options = provider.GetRequiredService<IOptions<HoleOptions>>().Value;
        var models = keys.ToDictionary(
            key => key,
            key => new AgentModel(provider.GetRequiredKeyedService<IChatClient>(key), options.ModelDescriptions.TryGetValue(key, out var description) ? description : null),
            StringComparer.Ordinal);
        var loggerFactory = provider.GetService<ILoggerFactory>();
        var session = new AgentSession(client, models, options, loggerFactory);
        AgentSession.Default = session;
        if (loggerFactory is not null)
        {
            Holes.Telemetry.HoleLog.DefaultSessionSet(loggerFactory.CreateLogger(HolesTelemetry.LogCategory));
        }

        return session;
    }
}
