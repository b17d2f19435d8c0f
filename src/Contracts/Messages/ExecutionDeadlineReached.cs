namespace Workflow.Messaging.Contracts;

/// <summary>Scheduled to the coordinator: the workflow's execution timeout elapsed.</summary>
public sealed record ExecutionDeadlineReached
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>The deadline this timer was set for; a timer from before a retry of the execution no longer matches and is ignored.</summary>
    public required DateTime DeadlineAt { get; init; }
}
