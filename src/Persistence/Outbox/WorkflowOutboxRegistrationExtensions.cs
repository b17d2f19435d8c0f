using MassTransit;
using MassTransit.Configuration;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Workflow.Messaging.Persistence;

public static class WorkflowOutboxRegistrationExtensions
{
    /// <summary>
    /// Registers the consumer inbox/outbox for TDbContext and the hosted maintenance service
    /// (stranded-row sweeper and inbox cleanup). Endpoints opt in with
    /// <see cref="UseWorkflowEntityFrameworkOutbox{TDbContext}"/>.
    /// </summary>
    public static IBusRegistrationConfigurator AddWorkflowEntityFrameworkOutbox<TDbContext>(this IBusRegistrationConfigurator configurator,
        Action<WorkflowOutboxOptions>? configure = null)
        where TDbContext : DbContext
    {
        var options = configurator.AddOptions<WorkflowOutboxOptions>();
        if (configure != null)
            options.Configure(configure);

        configurator.TryAddSingleton<IOutboxFaultInjection, NoOutboxFaults>();
        configurator.AddScoped<IOutboxContextFactory<TDbContext>, WorkflowOutboxContextFactory<TDbContext>>();
        configurator.TryAddSingleton<DeliveredMarker<TDbContext>>();
        configurator.TryAddSingleton<InboxMaintenance<TDbContext>>();
        configurator.AddHostedService<InboxMaintenanceService<TDbContext>>();
        return configurator;
    }

    /// <summary>
    /// Publishes and sends through a scoped IPublishEndpoint / ISendEndpointProvider outside a
    /// consumer (an HTTP handler) are written to the outbox tables of TDbContext and reach the
    /// broker only after SaveChangesAsync committed them; a hosted service delivers them.
    /// Publishing through the root IBus still bypasses the outbox.
    /// </summary>
    public static IBusRegistrationConfigurator AddWorkflowBusOutbox<TDbContext>(this IBusRegistrationConfigurator configurator)
        where TDbContext : DbContext
    {
        configurator.AddOptions<WorkflowOutboxOptions>();
        configurator.AddOptions<OutboxDeliveryServiceOptions>()
            .Configure<IOptions<WorkflowOutboxOptions>>((delivery, workflow) => delivery.QueryDelay = workflow.Value.BusOutboxPollInterval);

        configurator.TryAddSingleton<IOutboxFaultInjection, NoOutboxFaults>();
        configurator.TryAddSingleton<IBusOutboxNotification, BusOutboxNotification>();
        configurator.RemoveAll<IScopedBusContextProvider<IBus>>();
        configurator.AddScoped<IScopedBusContextProvider<IBus>, WorkflowScopedBusContextProvider<TDbContext>>();
        configurator.AddHostedService<BusOutboxDeliveryService<TDbContext>>();
        return configurator;
    }

    /// <summary>
    /// Puts every consumer and saga of the endpoint behind the inbox/outbox of TDbContext. Add
    /// UseMessageRetry before this call so retries run outside, each on a fresh DbContext.
    /// <paramref name="withoutInbox"/>: message types the endpoint's consumers handle idempotently
    /// by themselves (a second copy changes nothing); their consumes keep the outbox but write no
    /// inbox row, see <see cref="InboxlessEndpoint"/>.
    /// </summary>
    public static void UseWorkflowEntityFrameworkOutbox<TDbContext>(this IReceiveEndpointConfigurator configurator,
        IRegistrationContext context, Action<IOutboxOptionsConfigurator>? configure = null, Func<Type, bool>? withoutInbox = null)
        where TDbContext : DbContext
    {
        if (withoutInbox != null)
            configurator.UseFilter(new InboxlessEndpoint(withoutInbox));
        var observer = new OutboxConsumePipeSpecificationObserver<TDbContext>(configurator, context);
        configure?.Invoke(observer);

        configurator.ConnectConsumerConfigurationObserver(observer);
        configurator.ConnectSagaConfigurationObserver(observer);
    }
}
