namespace Workflow.Messaging.Contracts;

/// <summary>Published to every worker: cancel whatever attempts of this execution you are running.</summary>
public sealed record CancelRunningNodes
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>Why (cancelled, timed out, failed elsewhere).</summary>
    public required string Reason { get; init; }
}
