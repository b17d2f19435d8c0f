using Quartz;

namespace Workflow.Messaging.Scheduling;

/// <summary>The job and trigger of one scheduled message, both named after its scheduling token.</summary>
public readonly record struct ScheduledMessageKeys(JobKey Job, TriggerKey Trigger)
{
    public static ScheduledMessageKeys For(Guid tokenId)
    {
        var name = tokenId.ToString("N");
        return new ScheduledMessageKeys(new JobKey(name), new TriggerKey(name));
    }
}
