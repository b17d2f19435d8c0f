using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Engine.Nodes;

namespace Workflow.Messaging.Worker;

/// <summary>
/// Hosts workers on any MassTransit bus: <c>x.AddWorkerConsumers()</c> in <c>AddMassTransit</c>,
/// then <c>cfg.ConfigureWorkerEndpoints(context)</c> in the transport's configure callback.
/// </summary>
public static class WorkerBusExtensions
{
    /// <summary>Time the bus and the host get beyond the grace period to stop cleanly.</summary>
    private static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Registers the worker's consumers and services: the built-in nodes, <see cref="WorkerOptions"/>
    /// (section <c>Worker</c>), the running-attempt registry and the stop timeouts that give running
    /// attempts their shutdown grace period. The consumers are left out of ConfigureEndpoints: only
    /// <see cref="ConfigureWorkerEndpoints"/> places them.
    /// </summary>
    public static IBusRegistrationConfigurator AddWorkerConsumers(this IBusRegistrationConfigurator configurator)
    {
        configurator.AddWorkerServices();
        configurator.AddConsumer<ExecuteNodeConsumer, ExecuteNodeConsumerDefinition>().ExcludeFromConfigureEndpoints();
        configurator.AddConsumer<CancelRunningNodesConsumer>().ExcludeFromConfigureEndpoints();
        return configurator;
    }

    /// <summary>
    /// Adds one receive endpoint per pool (queue <c>node-pool-{pool}</c>) and a temporary endpoint
    /// of this instance for CancelRunningNodes. Pools default to <see cref="WorkerOptions.Pools"/>.
    /// </summary>
    public static void ConfigureWorkerEndpoints(this IBusFactoryConfigurator configurator, IBusRegistrationContext context, IEnumerable<string>? pools = null)
    {
        pools ??= context.GetRequiredService<IOptions<WorkerOptions>>().Value.EffectivePools;
        foreach (var queue in pools.Select(WorkerEndpoints.QueueName).Distinct(StringComparer.Ordinal))
        {
            configurator.ReceiveEndpoint(queue, endpoint =>
            {
                // ExecuteNode is sent to one pool's queue; binding its message type would let a
                // publish reach every pool.
                endpoint.ConfigureConsumeTopology = false;
                endpoint.ConfigureConsumer<ExecuteNodeConsumer>(context);
            });
        }

        // Temporary, so each worker instance has its own queue and every instance hears every cancel.
        configurator.ReceiveEndpoint(new TemporaryEndpointDefinition("workflow-worker"), KebabCaseEndpointNameFormatter.Instance,
            endpoint => endpoint.ConfigureConsumer<CancelRunningNodesConsumer>(context));
    }

    private static void AddWorkerServices(this IServiceCollection services)
    {
        services.AddBuiltInNodes();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RunningNodes>();
        services.TryAddSingleton<FinishedAttempts>();
        services.AddOptions<WorkerOptions>()
            .BindConfiguration(WorkerOptions.SectionName)
            .Validate(o => o.ConcurrentMessageLimit > 0 && o.PrefetchCount > 0, "Worker:ConcurrentMessageLimit and Worker:PrefetchCount must be positive.")
            .Validate(o => o.HeartbeatInterval > TimeSpan.Zero, "Worker:HeartbeatInterval must be positive.")
            .Validate(o => o.StartAnnouncementDelay >= TimeSpan.Zero, "Worker:StartAnnouncementDelay must not be negative.")
            .Validate(o => o.ShutdownGracePeriod >= TimeSpan.Zero, "Worker:ShutdownGracePeriod must not be negative.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.WorkerId), "Worker:WorkerId must not be empty.")
            .ValidateOnStart();

        // MassTransit cancels ConsumeContext.CancellationToken ConsumerStopTimeout after a stop
        // begins: that is the grace period. Bus and host must outlast it, or the process ends first.
        services.AddOptions<MassTransitHostOptions>().Configure<IOptions<WorkerOptions>>((host, worker) =>
        {
            var grace = worker.Value.ShutdownGracePeriod;
            host.ConsumerStopTimeout = grace;
            if (host.StopTimeout is not { } stop || stop < grace + StopMargin)
                host.StopTimeout = grace + StopMargin;
        });
        services.AddOptions<HostOptions>().Configure<IOptions<WorkerOptions>>((host, worker) =>
        {
            var needed = worker.Value.ShutdownGracePeriod + StopMargin + StopMargin;
            if (host.ShutdownTimeout < needed)
                host.ShutdownTimeout = needed;
        });
    }
}
