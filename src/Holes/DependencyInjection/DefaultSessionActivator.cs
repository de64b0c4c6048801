using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Holes.DependencyInjection;

/// <summary>
/// Creates the registered <see cref="AgentSession"/> as the host starts, before any hosted service's
/// <c>StartAsync</c>, so it is <see cref="AgentSession.Default"/> for every hole the application reaches. A missing
/// chat client or invalid options stop the host at start, with the message saying what to register or fix.
/// </summary>
internal sealed class DefaultSessionActivator(IServiceProvider services) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<AgentSession>();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
