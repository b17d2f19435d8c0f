namespace Workflow.Messaging.Contracts;

/// <summary>A worker began an attempt. Observability only: the saga does not wait for it.</summary>
public sealed record NodeStarted
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>Node id.</summary>
    public required string NodeId { get; init; }

    /// <summary>Attempt number.</summary>
    public required int Attempt { get; init; }

    /// <summary>Fan-out item index.</summary>
    public int? ItemIndex { get; init; }

    /// <summary>The worker that runs it.</summary>
    public required string WorkerId { get; init; }

    /// <summary>UTC start time.</summary>
    public required DateTime StartedAt { get; init; }

    /// <summary>When the coordinator dispatched the attempt (its ExecuteNode's DispatchedAt): queue wait is StartedAt minus this.</summary>
    public DateTime? DispatchedAt { get; init; }
}
