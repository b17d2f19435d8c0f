namespace Workflow.Messaging.Contracts;

/// <summary>The execution ended because a node failed under stopWorkflow.</summary>
public sealed record ExecutionFailed : ExecutionFinished
{
    /// <inheritdoc />
    public required Guid ExecutionId { get; init; }

    /// <inheritdoc />
    public ExecutionStatus Status => ExecutionStatus.Failed;

    /// <inheritdoc />
    public required DateTime FinishedAt { get; init; }

    /// <summary>The node whose failure ended the execution.</summary>
    public required string FailedNodeId { get; init; }

    /// <summary>Its last error.</summary>
    public required NodeError Error { get; init; }
}
