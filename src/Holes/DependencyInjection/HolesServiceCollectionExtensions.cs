using Holes;
using Microsoft.Extensions.AI;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Holes with a service collection.</summary>
public static class HolesServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HoleOptions"/> and a scoped <see cref="AgentSession"/> that fills holes with the
    /// registered <see cref="IChatClient"/> (register one first, e.g. with <c>services.AddChatClient(...)</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adjusts the options; optional.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddHoles(this IServiceCollection services, Action<HoleOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new HoleOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.AddScoped(provider => new AgentSession(
            provider.GetService<IChatClient>() ?? throw new InvalidOperationException(
                "AddHoles() needs an IChatClient in the service collection. Register one first, e.g. services.AddChatClient(new OllamaApiClient(...))."),
            provider.GetRequiredService<HoleOptions>()));
        return services;
    }
}
