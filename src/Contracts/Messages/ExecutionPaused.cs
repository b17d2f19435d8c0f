namespace Workflow.Messaging.Contracts;

/// <summary>The execution was paused by an operator.</summary>
public sealed record ExecutionPaused
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>UTC time.</summary>
    public required DateTime At { get; init; }
}
