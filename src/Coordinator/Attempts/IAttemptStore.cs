namespace Workflow.Messaging.Coordinator.Attempts;

/// <summary>One attempt of one node instance: (execution, node, item) at an attempt number.</summary>
public readonly record struct AttemptKey(Guid ExecutionId, string NodeId, int? ItemIndex, int Attempt);

/// <summary>A NodeStarted or NodeHeartbeat as the tracker records it.</summary>
public sealed record AttemptSignal(AttemptKey Attempt, string WorkerId, DateTime? StartedAt, DateTime SeenAt);

/// <summary>An attempt the watchdog found silent.</summary>
public sealed record SilentAttempt(AttemptKey Attempt, string? WorkerId, DateTime LastSeenAt);

/// <summary>
/// Where the coordinator keeps what it heard from running attempts. Every write is idempotent and
/// monotonic (last-seen only moves forward, an ended attempt stays ended), so the tracker needs
/// no inbox: a redelivered batch changes nothing.
/// </summary>
public interface IAttemptStore
{
    /// <summary>The tracker's write: one statement for a whole batch of signals.</summary>
    Task RecordAsync(IReadOnlyCollection<AttemptSignal> signals, CancellationToken cancellationToken);

    /// <summary>The saga recorded the attempt's result: stop watching it (in the saga's transaction).</summary>
    Task EndAsync(AttemptKey attempt, DateTime now, CancellationToken cancellationToken);

    /// <summary>Drops the row: the saga dispatched the attempt again, or the watchdog found it no longer running.</summary>
    Task ForgetAsync(AttemptKey attempt, CancellationToken cancellationToken);

    /// <summary>Attempts of an execution heard from at or after <paramref name="since"/> and not ended.</summary>
    Task<IReadOnlyList<AttemptKey>> HeardFromSinceAsync(Guid executionId, DateTime since, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="limit"/> attempts last heard from before <paramref name="silentSince"/>
    /// and not reported since then, marking them reported at <paramref name="now"/>. Safe with several
    /// coordinators: each row is claimed by one of them.
    /// </summary>
    Task<IReadOnlyList<SilentAttempt>> ClaimSilentAsync(DateTime silentSince, DateTime now, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes tombstones older than <paramref name="endedBefore"/>.</summary>
    Task<int> DeleteEndedAsync(DateTime endedBefore, CancellationToken cancellationToken);
}
