namespace Workflow.Messaging.Contracts;

/// <summary>An accepted execution waits for a concurrency limit before it runs.</summary>
public sealed record ExecutionQueued
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>Workflow id.</summary>
    public required string WorkflowId { get; init; }

    /// <summary>Workflow version.</summary>
    public required int WorkflowVersion { get; init; }

    /// <summary>
    /// The limits it waits for (<c>executions</c>, <c>workflow:&lt;id&gt;</c>, or a pool past its bound as
    /// <c>pool:&lt;name&gt; (depth D, bound B)</c>).
    /// </summary>
    public required IReadOnlyList<string> WaitingFor { get; init; }

    /// <summary>UTC time it joined the queue.</summary>
    public required DateTime QueuedAt { get; init; }
}
