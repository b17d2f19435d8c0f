namespace Workflow.Messaging.Coordinator.Admission;

/// <summary>An execution let through by an admission pass, and how long it waited.</summary>
public readonly record struct AdmittedExecution(Guid ExecutionId, DateTime EnqueuedAt);

/// <summary>What the limits look like now: slots held per limit and executions queued.</summary>
public sealed record AdmissionSnapshot(IReadOnlyDictionary<string, int> SlotsInUse, IReadOnlyDictionary<string, int> QueuedPerLimit, int QueuedExecutions)
{
    public static readonly AdmissionSnapshot Empty = new(new Dictionary<string, int>(), new Dictionary<string, int>(), 0);
}

/// <summary>
/// Slots and queues of the fleet's limits. Calls made from a saga step or the admission consumer
/// run inside that step's transaction (the same scoped DbContext), so a claim, a release or a
/// queue change commits together with the state change and the messages that announce it.
/// </summary>
public interface IAdmissionStore
{
    /// <summary>True when an execution already waits for any of <paramref name="keys"/>: a newcomer then queues behind it.</summary>
    Task<bool> AnyWaitingAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>Claims a slot of every demand for the execution, or none of them.</summary>
    Task<bool> TryAcquireAsync(Guid executionId, IReadOnlyList<LimitDemand> demands, DateTime now, DateTime leaseUntil, CancellationToken cancellationToken);

    /// <summary>Number of slots the execution holds.</summary>
    Task<int> HeldByAsync(Guid executionId, CancellationToken cancellationToken);

    Task EnqueueAsync(Guid executionId, IReadOnlyList<LimitDemand> demands, int priority, DateTime now, CancellationToken cancellationToken);

    /// <summary>Gives back every slot the execution holds and takes it out of every queue.</summary>
    Task ReleaseAsync(Guid executionId, CancellationToken cancellationToken);

    /// <summary>
    /// One pass over a limit's queue, in order (priority, then arrival): each head that gets a slot
    /// of every limit it waits for is taken out of the queues; the pass stops at the first that does
    /// not, so nobody overtakes it. Passes over one key take turns.
    /// </summary>
    Task<IReadOnlyList<AdmittedExecution>> AdmitWaitingAsync(string key, DateTime now, DateTime leaseUntil, int passSize, CancellationToken cancellationToken);

    /// <summary>Limits for which the execution waits (empty when it waits for nothing).</summary>
    Task<IReadOnlyList<string>> WaitingForAsync(Guid executionId, CancellationToken cancellationToken);

    /// <summary>
    /// Frees slots whose lease passed and whose holding execution is no longer running or paused,
    /// renews the others; returns the keys that got a slot back.
    /// </summary>
    Task<IReadOnlyList<string>> ReclaimExpiredAsync(DateTime now, DateTime leaseUntil, CancellationToken cancellationToken);

    Task<AdmissionSnapshot> SnapshotAsync(CancellationToken cancellationToken);
}
