namespace Workflow.Messaging.Coordinator.Admission;

/// <summary>Who holds or waits for a slot: an execution (empty <see cref="Attempt"/>) or one node attempt of it (its idempotency key).</summary>
public readonly record struct AdmissionHolder(Guid ExecutionId, string Attempt)
{
    public static AdmissionHolder Execution(Guid executionId) => new(executionId, "");

    public bool IsExecution => Attempt.Length == 0;
}

/// <summary>A node attempt's ExecuteNode parked until its slots are held: where it goes and what it is.</summary>
public sealed record ParkedDispatch(string Destination, string Payload);

/// <summary>A holder let through by an admission pass, how long it waited and, for an attempt, its parked dispatch.</summary>
public sealed record AdmittedHolder(AdmissionHolder Holder, DateTime EnqueuedAt, ParkedDispatch? Parked);

/// <summary>What the limits look like now: slots held per limit and holders queued.</summary>
public sealed record AdmissionSnapshot(IReadOnlyDictionary<string, int> SlotsInUse, IReadOnlyDictionary<string, int> QueuedPerLimit, int QueuedExecutions)
{
    public static readonly AdmissionSnapshot Empty = new(new Dictionary<string, int>(), new Dictionary<string, int>(), 0);
}

/// <summary>
/// Slots and queues of the fleet's limits. Calls made from a saga step or an admission consumer
/// run inside that step's transaction (the same scoped DbContext), so a claim, a release or a
/// queue change commits together with the state change and the messages that announce it.
/// </summary>
public interface IAdmissionStore
{
    /// <summary>True when anyone already waits for any of <paramref name="keys"/>: a newcomer then queues behind them.</summary>
    Task<bool> AnyWaitingAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>Claims a slot of every demand for the holder, or none of them.</summary>
    Task<bool> TryAcquireAsync(AdmissionHolder holder, IReadOnlyList<LimitDemand> demands, DateTime now, DateTime leaseUntil, CancellationToken cancellationToken);

    /// <summary>Number of slots the holder holds.</summary>
    Task<int> HeldByAsync(AdmissionHolder holder, CancellationToken cancellationToken);

    Task EnqueueAsync(AdmissionHolder holder, IReadOnlyList<LimitDemand> demands, int priority, DateTime now, ParkedDispatch? parked, CancellationToken cancellationToken);

    /// <summary>Gives back every slot the execution and its attempts hold and takes them out of every queue.</summary>
    Task ReleaseAsync(Guid executionId, CancellationToken cancellationToken);

    /// <summary>Gives back the slots of one holder (a node attempt that reported) and takes it out of every queue.</summary>
    Task ReleaseHolderAsync(AdmissionHolder holder, CancellationToken cancellationToken);

    /// <summary>
    /// One pass over a limit's queue, in order (priority, then arrival): each head that gets a slot
    /// of every limit it waits for is taken out of the queues; the pass stops at the first that does
    /// not, so nobody overtakes it. Passes over one key take turns.
    /// </summary>
    Task<IReadOnlyList<AdmittedHolder>> AdmitWaitingAsync(string key, DateTime now, DateTime leaseUntil, int passSize, CancellationToken cancellationToken);

    /// <summary>Limits for which the execution or one of its attempts waits (empty when none does).</summary>
    Task<IReadOnlyList<string>> WaitingForAsync(Guid executionId, CancellationToken cancellationToken);

    /// <summary>
    /// Frees slots whose lease passed and whose holder is gone (an execution no longer running or
    /// paused; an attempt not heard from within <paramref name="heardSince"/>), renews the others;
    /// returns the keys that got a slot back.
    /// </summary>
    Task<IReadOnlyList<string>> ReclaimExpiredAsync(DateTime now, DateTime leaseUntil, DateTime heardSince, CancellationToken cancellationToken);

    Task<AdmissionSnapshot> SnapshotAsync(CancellationToken cancellationToken);

    /// <summary>
    /// True when the caller should schedule a pass of <paramref name="key"/> at <paramref name="at"/>:
    /// no earlier one is pending (recorded on the limit's row, so a thousand parked attempts schedule one).
    /// </summary>
    Task<bool> ClaimWakeUpAsync(string key, DateTime at, DateTime now, CancellationToken cancellationToken);

    /// <summary>When the next slot of a rate limit becomes free after <paramref name="now"/>; null when one is free now or none is known.</summary>
    Task<DateTime?> NextRateSlotAsync(string key, int capacity, DateTime now, CancellationToken cancellationToken);
}
