namespace Workflow.Messaging.Contracts;

/// <summary>An execution was accepted and its first nodes dispatched.</summary>
public sealed record ExecutionStarted
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>Workflow id.</summary>
    public required string WorkflowId { get; init; }

    /// <summary>Workflow version.</summary>
    public required int WorkflowVersion { get; init; }

    /// <summary>UTC start.</summary>
    public required DateTime StartedAt { get; init; }
}
