using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Workflow.Messaging.Worker.Transport;

public static class EndpointWatchdogExtensions
{
    /// <summary>
    /// The receive-endpoint watchdog for a host on RabbitMQ (see <see cref="ReceiveEndpointWatchdog"/>);
    /// <c>Transport:Watchdog:Enabled=false</c> turns it off.
    /// </summary>
    public static IServiceCollection AddReceiveEndpointWatchdog(this IServiceCollection services)
    {
        services.AddOptions<EndpointWatchdogOptions>().BindConfiguration(EndpointWatchdogOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IBrokerQueueProbe, RabbitMqQueueProbe>();
        services.AddSingleton<ReceiveEndpointWatchdog>();
        services.AddHostedService(provider => provider.GetRequiredService<ReceiveEndpointWatchdog>());
        return services;
    }
}
