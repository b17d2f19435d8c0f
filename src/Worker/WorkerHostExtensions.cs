using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Workflow.Messaging.Worker.Transport;

namespace Workflow.Messaging.Worker;

public static class WorkerHostExtensions
{
    /// <summary>The section bound onto MassTransit's <see cref="RabbitMqTransportOptions"/> by every host.</summary>
    public const string RabbitMqSection = "RabbitMq";

    /// <summary>
    /// A standalone worker on RabbitMQ: the broker comes from the <c>RabbitMq</c> section (MassTransit's
    /// <see cref="RabbitMqTransportOptions"/>), the pools and limits from <c>Worker</c>. Add custom node
    /// types with <c>builder.Services.AddNodeExecutor&lt;T&gt;()</c>; <paramref name="configureBus"/>
    /// may add further consumers.
    /// </summary>
    public static IHostApplicationBuilder AddWorker(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configureBus = null)
    {
        builder.Services.AddOptions<RabbitMqTransportOptions>().BindConfiguration(RabbitMqSection);
        builder.Services.AddReceiveEndpointWatchdog();
        builder.Services.AddMassTransit(x =>
        {
            // No usage report to masstransit.io (see the coordinator's AddCoordinator).
            x.DisableUsageTelemetry();
            x.AddWorkerConsumers();
            configureBus?.Invoke(x);
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.UseExecutionCorrelation();
                cfg.ConfigureWorkerEndpoints(context);
                cfg.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}
