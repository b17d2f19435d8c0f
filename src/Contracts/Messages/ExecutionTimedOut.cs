namespace Workflow.Messaging.Contracts;

/// <summary>The execution deadline passed before it finished.</summary>
public sealed record ExecutionTimedOut : ExecutionFinished
{
    /// <inheritdoc />
    public required Guid ExecutionId { get; init; }

    /// <inheritdoc />
    public ExecutionStatus Status => ExecutionStatus.TimedOut;

    /// <inheritdoc />
    public required DateTime FinishedAt { get; init; }
}
