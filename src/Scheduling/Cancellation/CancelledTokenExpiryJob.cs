using Quartz;

namespace Workflow.Messaging.Scheduling.Cancellation;

/// <summary>
/// The firing of a tombstone's trigger: the retention is over. It does nothing; Quartz deletes the non-durable job
/// once its only trigger has fired, which is what forgets the token. Quartz persists this type's name with every
/// tombstone: keep the namespace and name stable.
/// </summary>
public sealed class CancelledTokenExpiryJob : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
