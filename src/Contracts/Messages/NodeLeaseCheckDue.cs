namespace Workflow.Messaging.Contracts;

/// <summary>
/// Scheduled to the coordinator: look for running nodes whose lease ran out (no result and no
/// heartbeat in time). One timer per execution, not per node, so dispatch stays cheap.
/// </summary>
public sealed record NodeLeaseCheckDue
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>The check time this timer was set for; only the latest one scheduled is acted on.</summary>
    public required DateTime CheckAt { get; init; }
}
