using MassTransit;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Workflow.Messaging.Scheduling;

/// <summary>
/// Sends a stored scheduled message to its destination with its original envelope and scheduling token.
/// Quartz persists this type's name with every job: keep the namespace and name stable.
/// </summary>
public sealed class ScheduledMessageJob(IBus bus, SchedulerOptions options, ILogger<ScheduledMessageJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var data = context.MergedJobDataMap;
        if (!data.TryGetString(ScheduledMessageJobData.Destination, out var destinationText)
            || !data.TryGetString(ScheduledMessageJobData.Body, out var body)
            || destinationText is null || body is null)
        {
            logger.LogError("Scheduled message {JobKey} has no destination or body and cannot be sent", context.JobDetail.Key);
            return;
        }

        var message = new StoredScheduledMessage(data, body, context);
        if (message.ExpirationTime is { } expiration && expiration <= DateTime.UtcNow)
        {
            logger.LogWarning("Scheduled message {JobKey} expired at {Expiration:O} before it was sent", context.JobDetail.Key, expiration);
            return;
        }

        var destination = new Uri(destinationText);
        try
        {
            var endpoint = await bus.GetSendEndpoint(destination);
            // Bounded: a lost publisher confirm must not hold one of Quartz's few threads for good.
            await BoundedSend.Within(options.SendTimeout,
                token => endpoint.Send(new ForwardedScheduledMessage(), new StoredScheduledMessagePipe(message), token), cancellationToken);
            logger.LogDebug("Sent scheduled message {JobKey} to {Destination}", context.JobDetail.Key, destination);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Sending scheduled message {JobKey} ({MessageType}) to {Destination} failed (retry {RetryAttempt}); it will be tried again",
                context.JobDetail.Key, message.MessageType, destination, context.RetryAttempt);
            // The trigger's retry policy re-fires the job later; the message stays in the store until a send succeeds.
            throw new JobExecutionException(exception);
        }
    }

    /// <summary>Stands in for the real message: the pipe replaces the serializer, so this type never reaches the wire.</summary>
    sealed class ForwardedScheduledMessage;
}
