using MassTransit;
using MassTransit.Scheduling;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Workflow.Messaging.Scheduling;

public sealed class CancelScheduledMessageConsumer(
    ISchedulerFactory schedulerFactory,
    ILogger<CancelScheduledMessageConsumer> logger) : IConsumer<CancelScheduledMessage>
{
    public async Task Consume(ConsumeContext<CancelScheduledMessage> context)
    {
        var key = ScheduledMessageKeys.For(context.Message.TokenId);

        var scheduler = await schedulerFactory.GetScheduler(context.CancellationToken);
        var deleted = await scheduler.DeleteJob(key.Job, context.CancellationToken);

        // Not finding the job is normal: it already fired, or the cancel overtook nothing.
        if (deleted)
            logger.LogDebug("Cancelled scheduled message {JobKey}", key.Job);
        else
            logger.LogDebug("No scheduled message {JobKey} to cancel", key.Job);
    }
}
