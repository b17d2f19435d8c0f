namespace Workflow.Messaging.Coordinator.Leases;

/// <summary>An execution whose lease check is due, with the check time stored on its saga row.</summary>
public readonly record struct DueLeaseCheck(Guid ExecutionId, DateTime CheckAt);

/// <summary>
/// Finds running or paused executions whose <c>LeaseCheckAt</c> has come: from the saga table
/// (<see cref="EfDueLeaseChecks"/>) or from the in-memory saga repository
/// (<see cref="SagaRepositoryDueLeaseChecks"/>), whichever holds the executions.
/// </summary>
public interface IDueLeaseChecks
{
    /// <summary>At most <paramref name="limit"/> checks due at <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<DueLeaseCheck>> DueAsync(DateTime now, int limit, CancellationToken cancellationToken);
}
