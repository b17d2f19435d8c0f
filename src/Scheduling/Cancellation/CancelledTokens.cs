using Quartz;

namespace Workflow.Messaging.Scheduling.Cancellation;

/// <summary>
/// Remembers cancelled scheduling tokens in the job store, so that a <c>ScheduleMessage</c> that arrives after the
/// cancel of its token (another channel, a redelivery after a broker restart, a retry, a late outbox delivery) is
/// dropped instead of firing. A token is remembered as a Quartz job of its own (a tombstone) whose one-shot trigger
/// fires at the end of <see cref="SchedulerOptions.CancelledTokenRetention" />; the firing does nothing, and Quartz
/// removes a fired non-durable job, so tombstones clean themselves up on every store and every node of a cluster.
/// </summary>
public static class CancelledTokens
{
    /// <summary>The Quartz group of tombstones: apart from the default group scheduled messages are stored in.</summary>
    public const string Group = "workflow-cancelled-tokens";

    public static JobKey KeyOf(Guid tokenId) => new(tokenId.ToString("N"), Group);

    public static ValueTask<bool> IsCancelled(this IScheduler scheduler, Guid tokenId, CancellationToken cancellationToken) =>
        scheduler.Exists(KeyOf(tokenId), cancellationToken);

    /// <summary>Writes (or renews) the tombstone of a token; idempotent, so a redelivered cancel is harmless.</summary>
    public static async Task RememberCancelled(this IScheduler scheduler, Guid tokenId, TimeSpan retention, CancellationToken cancellationToken)
    {
        var key = KeyOf(tokenId);
        var job = JobBuilder.Create<CancelledTokenExpiryJob>().WithIdentity(key).Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(new TriggerKey(key.Name, Group))
            .ForJob(job)
            .StartAt(DateTimeOffset.UtcNow + retention)
            // A tombstone that expired while no node was running is simply removed at the next start.
            .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        await scheduler.ScheduleJob(job, trigger, ScheduleJobOptions.Replacing, cancellationToken);
    }
}
