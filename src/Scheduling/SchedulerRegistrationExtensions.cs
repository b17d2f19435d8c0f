using MassTransit;
using MassTransit.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Workflow.Messaging.Scheduling;

public static class SchedulerRegistrationExtensions
{
    const int DefaultPartitionCount = 16;

    /// <summary>
    /// Hosts the durable message scheduler in this bus: the schedule/cancel consumers on the
    /// <see cref="SchedulerOptions.EndpointName" /> queue, Quartz on the configured job store (started and stopped
    /// with the bus), and an <see cref="IMessageScheduler" /> that targets it. The bus must also call
    /// <see cref="UseWorkflowMessageScheduler" /> so consumers and state machines can schedule.
    /// </summary>
    public static IBusRegistrationConfigurator AddWorkflowQuartzScheduler(this IBusRegistrationConfigurator configurator,
        IConfiguration configuration)
    {
        var options = configuration.GetSection(SchedulerOptions.SectionName).Get<SchedulerOptions>() ?? new SchedulerOptions();
        return configurator.AddWorkflowQuartzScheduler(options);
    }

    public static IBusRegistrationConfigurator AddWorkflowQuartzScheduler(this IBusRegistrationConfigurator configurator,
        SchedulerOptions options)
    {
        configurator.AddSingleton(options);
        configurator.AddQuartz(quartz => quartz.ConfigureStore(options));
        configurator.AddBusObserver<QuartzSchedulerBusObserver>();

        configurator.AddConsumer<ScheduleMessageConsumer>().Endpoint(endpoint =>
        {
            ConfigureEndpoint(endpoint, options);
            // One callback for the whole endpoint (both consumers share it): retry, then per-token order.
            endpoint.AddConfigureEndpointCallback(receive =>
            {
                RideOutJobStoreOutages(receive);
                HandleEachTokenInOrder(receive, options);
            });
        });
        configurator.AddConsumer<CancelScheduledMessageConsumer>().Endpoint(endpoint => ConfigureEndpoint(endpoint, options));

        configurator.AddMessageScheduler(options.EndpointAddress);
        return configurator;
    }

    /// <summary>Routes <c>ScheduleSend</c> and state machine <c>Schedule</c> calls on this bus to the scheduler queue.</summary>
    public static void UseWorkflowMessageScheduler(this IBusFactoryConfigurator configurator, IBusRegistrationContext context) =>
        configurator.UseMessageScheduler(context.GetRequiredService<SchedulerOptions>().EndpointAddress);

    // A job store restart must not send schedules to the error queue: that would lose a retry,
    // a wait or a deadline for good. The intervals add up to about half a minute.
    static void RideOutJobStoreOutages(IReceiveEndpointConfigurator endpoint) =>
        endpoint.UseMessageRetry(r => r.Intervals(100, 500, 1000, 2000, 4000, 8000, 15000));

    // An Unschedule right after its Schedule must not overtake it, or the cancel finds nothing and the message
    // fires anyway; one partition per token keeps the two in queue order while other tokens run concurrently.
    static void HandleEachTokenInOrder(IReceiveEndpointConfigurator endpoint, SchedulerOptions options)
    {
        var partitioner = endpoint.CreatePartitioner(options.ConcurrentMessageLimit ?? DefaultPartitionCount);
        endpoint.UsePartitioner<ScheduleMessage>(partitioner, context => context.Message.CorrelationId);
        endpoint.UsePartitioner<CancelScheduledMessage>(partitioner, context => context.Message.TokenId);
    }

    static void ConfigureEndpoint(IEndpointRegistrationConfigurator endpoint, SchedulerOptions options)
    {
        endpoint.Name = options.EndpointName;
        if (options.ConcurrentMessageLimit.HasValue)
            endpoint.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
    }
}
