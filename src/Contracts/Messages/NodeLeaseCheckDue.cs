namespace Workflow.Messaging.Contracts;

/// <summary>
/// Sent to the coordinator's saga queue by its lease sweep: the execution's earliest node lease
/// ran out (no result and no sign of life in time), so its running nodes are looked at. One check
/// per execution, not per node, so dispatch stays cheap. (Before the sweep this was a scheduled
/// timer; one still in a job store is handled the same way.)
/// </summary>
public sealed record NodeLeaseCheckDue
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>The check time stored on the execution when this was sent; only the one still stored is acted on.</summary>
    public required DateTime CheckAt { get; init; }
}
