using Microsoft.EntityFrameworkCore;
using Workflow.Messaging.Coordinator.Executions;
using Workflow.Messaging.Coordinator.Persistence;

namespace Workflow.Messaging.Coordinator.Leases;

/// <summary>
/// One read of the saga table per sweep, served by the partial index on <c>LeaseCheckAt</c> (only
/// executions with a running attempt have one). No lock and no claim: several coordinators may read
/// the same row, and the saga acts on one check per check time (see <see cref="LeaseSweeper"/>).
/// </summary>
public sealed class EfDueLeaseChecks(CoordinatorDbContext db) : IDueLeaseChecks
{
    private const string Running = nameof(WorkflowExecutionStateMachine.Running);
    private const string Paused = nameof(WorkflowExecutionStateMachine.Paused);

    public async Task<IReadOnlyList<DueLeaseCheck>> DueAsync(DateTime now, int limit, CancellationToken cancellationToken) =>
        await db.Executions.AsNoTracking()
            .Where(e => e.LeaseCheckAt <= now && (e.CurrentState == Running || e.CurrentState == Paused))
            .OrderBy(e => e.LeaseCheckAt)
            .Take(limit)
            .Select(e => new DueLeaseCheck(e.CorrelationId, e.LeaseCheckAt!.Value))
            .ToListAsync(cancellationToken);
}
