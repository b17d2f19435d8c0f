namespace Workflow.Messaging.Contracts;

/// <summary>The execution was cancelled on request.</summary>
public sealed record ExecutionCancelled : ExecutionFinished
{
    /// <inheritdoc />
    public required Guid ExecutionId { get; init; }

    /// <inheritdoc />
    public ExecutionStatus Status => ExecutionStatus.Cancelled;

    /// <inheritdoc />
    public required DateTime FinishedAt { get; init; }

    /// <summary>The reason given.</summary>
    public string? Reason { get; init; }
}
