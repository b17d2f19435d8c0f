using MassTransit;
using Workflow.Messaging.Coordinator.Admission.Pools;
using Workflow.Messaging.Coordinator.Partitions;
using Workflow.Messaging.Coordinator.Persistence;
using Workflow.Messaging.Scheduling;
using Workflow.Messaging.Worker;
using Workflow.Messaging.Worker.Transport;

namespace Workflow.Messaging.Coordinator.Hosting;

public static class TransportHostingExtensions
{
    private const string RabbitMqSection = WorkerHostExtensions.RabbitMqSection;

    /// <summary>
    /// The bus: RabbitMQ when the <c>RabbitMq</c> section names a host, otherwise the embedded fleet.
    /// RabbitMqTransportOptions has a host default of its own, so the configured value is what decides.
    /// </summary>
    public static IBusRegistrationConfigurator AddCoordinatorTransport(this IBusRegistrationConfigurator x, IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration[$"{RabbitMqSection}:Host"])
            ? x.AddEmbeddedFleet()
            : x.AddRabbitMqFleet(configuration);

    /// <summary>
    /// The embedded default: MassTransit's in-memory transport with its delayed scheduler, and
    /// workers for every pool hosted in this process. Nothing to install.
    /// </summary>
    public static IBusRegistrationConfigurator AddEmbeddedFleet(this IBusRegistrationConfigurator x)
    {
        x.AddWorkerConsumers();
        x.AddDelayedMessageScheduler();
        x.UsingInMemory((context, cfg) =>
        {
            cfg.UseDelayedMessageScheduler();
            cfg.UseExecutionCorrelation();
            cfg.ConfigureWorkerEndpoints(context);
            cfg.ConfigureEndpoints(context);
        });
        return x;
    }

    /// <summary>
    /// The coordinator of a fleet on RabbitMQ: the saga endpoint and the Quartz scheduler (its
    /// <c>scheduler</c> queue) on the broker from the <c>RabbitMq</c> section; workers run in their own
    /// processes unless <c>Coordinator:EmbeddedWorkers</c> is true. MassTransit's RabbitMQ defaults are
    /// what we want and are left in place: durable queues, persistent messages, publisher confirms, and
    /// an <c>{queue}_error</c> queue per endpoint that keeps the fault reason in MT-Fault-* headers.
    /// </summary>
    public static IBusRegistrationConfigurator AddRabbitMqFleet(this IBusRegistrationConfigurator x, IConfiguration configuration)
    {
        x.AddOptions<RabbitMqTransportOptions>().BindConfiguration(RabbitMqSection);
        // A bus that lost a consumer without noticing is restarted (see ReceiveEndpointWatchdog).
        x.AddReceiveEndpointWatchdog();
        // Pool bounds (Admission:Pools) read their queues' depth from the broker; it connects only when a bound is set.
        x.AddSingleton<IPoolDepthReader, RabbitMqPoolDepthReader>();
        x.AddWorkflowQuartzScheduler(SchedulerSettings(configuration));

        var coordinator = configuration.GetSection(CoordinatorOptions.Section).Get<CoordinatorOptions>() ?? new CoordinatorOptions();
        var embeddedWorkers = coordinator.EmbeddedWorkers;
        if (embeddedWorkers)
            x.AddWorkerConsumers();
        x.AddSagaPartitions(coordinator, configuration.GetPersistenceOptions());

        x.UsingRabbitMq((context, cfg) =>
        {
            cfg.UseWorkflowMessageScheduler(context);
            cfg.UseExecutionCorrelation();
            if (embeddedWorkers)
                cfg.ConfigureWorkerEndpoints(context);
            cfg.ConfigureEndpoints(context);
        });
        return x;
    }

    /// <summary>
    /// The <c>Scheduler</c> section; without one, timers are held in memory and a coordinator restart
    /// loses the retries, waits and deadlines it had scheduled (lease checks are swept from the saga
    /// table, not scheduled).
    /// </summary>
    private static SchedulerOptions SchedulerSettings(IConfiguration configuration)
    {
        var section = configuration.GetSection(SchedulerOptions.SectionName);
        return section.Exists()
            ? section.Get<SchedulerOptions>() ?? new SchedulerOptions()
            : new SchedulerOptions { Provider = SchedulerStoreProvider.Memory };
    }
}
