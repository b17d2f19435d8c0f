namespace Workflow.Messaging.Contracts;

/// <summary>An attempt failed; the coordinator decides between retry and the node's error strategy.</summary>
public sealed record NodeFailed
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>Node id.</summary>
    public required string NodeId { get; init; }

    /// <summary>The attempt this result belongs to.</summary>
    public required int Attempt { get; init; }

    /// <summary>Fan-out item index.</summary>
    public int? ItemIndex { get; init; }

    /// <summary>What went wrong.</summary>
    public required NodeError Error { get; init; }

    /// <summary>The worker that ran it.</summary>
    public required string WorkerId { get; init; }

    /// <summary>How long the attempt ran.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>When the worker began the attempt (UTC); null from workers that predate it.</summary>
    public DateTime? StartedAt { get; init; }

    /// <summary>When the coordinator dispatched the attempt (its ExecuteNode's DispatchedAt): queue wait is StartedAt minus this.</summary>
    public DateTime? DispatchedAt { get; init; }

    /// <summary>
    /// Whether the worker announced the attempt with a NodeStarted (only attempts that run past the worker's
    /// announcement delay are announced). False tells the coordinator that the attempt tracker has no row to end;
    /// null, from workers that predate it, counts as announced.
    /// </summary>
    public bool? StartAnnounced { get; init; }
}
