using MassTransit;
using MassTransit.Scheduling;
using Microsoft.Extensions.Logging;
using Quartz;
using Workflow.Messaging.Scheduling.Cancellation;

namespace Workflow.Messaging.Scheduling;

public sealed class CancelScheduledMessageConsumer(
    ISchedulerFactory schedulerFactory,
    SchedulerOptions options,
    ILogger<CancelScheduledMessageConsumer> logger) : IConsumer<CancelScheduledMessage>
{
    public async Task Consume(ConsumeContext<CancelScheduledMessage> context)
    {
        var tokenId = context.Message.TokenId;
        var key = ScheduledMessageKeys.For(tokenId);
        var scheduler = await schedulerFactory.GetScheduler(context.CancellationToken);

        // The tombstone is written before the job is deleted: a schedule stored after the delete then finds it on
        // its second look (see ScheduleMessageConsumer), whatever node or channel it came through.
        await scheduler.RememberCancelled(tokenId, options.CancelledTokenRetention, context.CancellationToken);
        var deleted = await scheduler.DeleteJob(key.Job, context.CancellationToken);

        // Not finding the job is normal: it already fired, or its schedule has not arrived yet (and will be dropped).
        if (deleted)
            logger.LogDebug("Cancelled scheduled message {JobKey}", key.Job);
        else
            logger.LogDebug("No scheduled message {JobKey} to cancel; the token is remembered as cancelled", key.Job);
    }
}
