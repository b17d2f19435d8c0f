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
}
