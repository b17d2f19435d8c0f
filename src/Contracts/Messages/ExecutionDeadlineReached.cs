namespace Workflow.Messaging.Contracts;

/// <summary>Scheduled to the coordinator: the workflow's execution timeout elapsed.</summary>
public sealed record ExecutionDeadlineReached
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }
}
