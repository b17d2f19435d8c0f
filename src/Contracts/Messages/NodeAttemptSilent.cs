namespace Workflow.Messaging.Contracts;

/// <summary>
/// Sent to the coordinator by its attempt watchdog: an attempt that started on a worker has not
/// been heard from (no heartbeat, no result) for <c>Coordinator:SilentAttemptAfter</c>. The saga
/// dispatches the same attempt again, with the same idempotency key, if it still waits for it.
/// </summary>
public sealed record NodeAttemptSilent
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>Node id.</summary>
    public required string NodeId { get; init; }

    /// <summary>The attempt that went silent; a notice for any other attempt is stale and ignored.</summary>
    public required int Attempt { get; init; }

    /// <summary>Fan-out item index.</summary>
    public int? ItemIndex { get; init; }

    /// <summary>The worker last heard running it.</summary>
    public string? WorkerId { get; init; }

    /// <summary>When the coordinator last heard from the attempt (UTC).</summary>
    public required DateTime LastSeenAt { get; init; }
}
