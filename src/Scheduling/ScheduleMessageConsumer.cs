using System.Text.Json;
using MassTransit;
using MassTransit.Context;
using MassTransit.Scheduling;
using Microsoft.Extensions.Logging;
using Quartz;
using Workflow.Messaging.Scheduling.Cancellation;

namespace Workflow.Messaging.Scheduling;

/// <summary>
/// Stores a scheduled message as a Quartz job with a one-shot trigger, keyed by the schedule's token, so that
/// cancelling or rescheduling addresses the same job. A schedule whose token was already cancelled is dropped: the
/// cancel may overtake it (another channel, a redelivery after a broker restart, a retry, a late outbox delivery).
/// </summary>
public sealed class ScheduleMessageConsumer(
    ISchedulerFactory schedulerFactory,
    SchedulerOptions options,
    ILogger<ScheduleMessageConsumer> logger) : IConsumer<ScheduleMessage>
{
    public async Task Consume(ConsumeContext<ScheduleMessage> context)
    {
        var command = context.Message;
        var key = ScheduledMessageKeys.For(command.CorrelationId);

        var job = BuildJob(context, key.Job);
        var trigger = TriggerBuilder.Create()
            .WithIdentity(key.Trigger)
            .ForJob(job)
            // The job store leaves a trigger already past its misfire threshold to the periodic misfire scan
            // (a minute away): a message scheduled in the past is due now, so it starts now.
            .StartAt(Max(ToUtc(command.ScheduledTime), DateTimeOffset.UtcNow))
            // A message that came due while no node was running is still owed: send it as soon as possible.
            .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            // A failed send is retried later rather than dropped; a one-shot trigger has no next occurrence to yield to.
            .WithRetryPolicy(RetryPolicy.Exponential(int.MaxValue, options.SendRetryInitialDelay, 2, options.SendRetryMaxDelay))
            .Build();

        var scheduler = await schedulerFactory.GetScheduler(context.CancellationToken);
        if (await scheduler.IsCancelled(command.CorrelationId, context.CancellationToken))
        {
            logger.LogInformation("Dropped the schedule of {JobKey}: its token was cancelled before the schedule arrived", key.Job);
            return;
        }

        await scheduler.ScheduleJob(job, trigger, ScheduleJobOptions.Replacing, context.CancellationToken);

        // A second look closes the race with a cancel handled at the same time on another node (the per-token
        // partition orders the two only within one endpoint): the cancel writes its tombstone before it deletes, so
        // either its delete saw this job or this look sees its tombstone.
        if (await scheduler.IsCancelled(command.CorrelationId, context.CancellationToken))
        {
            await scheduler.DeleteJob(key.Job, context.CancellationToken);
            logger.LogInformation("Removed the schedule of {JobKey} again: its token was cancelled while it was being stored", key.Job);
            return;
        }

        logger.LogDebug("Scheduled {JobKey} for {Destination} at {ScheduledTime:O}", key.Job, command.Destination, command.ScheduledTime);
    }

    static IJobDetail BuildJob(ConsumeContext<ScheduleMessage> context, JobKey jobKey)
    {
        var command = context.Message;

        // The payload is re-serialized as a complete envelope so the job can forward it without knowing its type.
        var body = context.SerializerContext
            .GetMessageSerializer(command.Payload, command.PayloadType)
            .GetMessageBody(new MessageSendContext<ScheduleMessage>(command, context.CancellationToken))
            .GetString();

        var data = new JobDataMap
        {
            [ScheduledMessageJobData.Destination] = command.Destination.ToString(),
            [ScheduledMessageJobData.Body] = body,
            [ScheduledMessageJobData.MessageType] = string.Join(';', command.PayloadType),
            [ScheduledMessageJobData.TokenId] = command.CorrelationId.ToString("N"),
        };

        Put(data, ScheduledMessageJobData.ContentType, context.ReceiveContext.ContentType?.ToString());
        Put(data, ScheduledMessageJobData.MessageId, context.MessageId);
        Put(data, ScheduledMessageJobData.CorrelationId, context.CorrelationId);
        Put(data, ScheduledMessageJobData.ConversationId, context.ConversationId);
        Put(data, ScheduledMessageJobData.InitiatorId, context.InitiatorId);
        Put(data, ScheduledMessageJobData.RequestId, context.RequestId);
        Put(data, ScheduledMessageJobData.SourceAddress, context.SourceAddress?.ToString());
        Put(data, ScheduledMessageJobData.ResponseAddress, context.ResponseAddress?.ToString());
        Put(data, ScheduledMessageJobData.FaultAddress, context.FaultAddress?.ToString());
        Put(data, ScheduledMessageJobData.ExpirationTime, context.ExpirationTime?.ToUniversalTime().ToString("O"));

        var headers = context.Headers.GetAll().ToDictionary(header => header.Key, header => header.Value);
        if (headers.Count > 0)
            data[ScheduledMessageJobData.HeadersAsJson] = JsonSerializer.Serialize(headers);

        return JobBuilder.Create<ScheduledMessageJob>()
            .WithIdentity(jobKey)
            // A node that dies while sending leaves the firing to be re-run by another node: at-least-once.
            .RequestRecovery()
            .UsingJobData(data)
            .Build();
    }

    static void Put(JobDataMap data, string key, Guid? value)
    {
        if (value.HasValue)
            data[key] = value.Value.ToString("N");
    }

    static void Put(JobDataMap data, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            data[key] = value;
    }

    static DateTimeOffset Max(DateTimeOffset first, DateTimeOffset second) => first >= second ? first : second;

    static DateTimeOffset ToUtc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Local => new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero),
        _ => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc), TimeSpan.Zero),
    };
}
