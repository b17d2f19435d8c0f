using Microsoft.EntityFrameworkCore;
using Workflow.Messaging.Coordinator.Persistence;

namespace Workflow.Messaging.Coordinator.ProgressWatch;

/// <summary>PostgreSQL: one UPDATE of the saga row's mark, which waits for the row lock of a step in progress.</summary>
public sealed class EfProgressWatchMarks(CoordinatorDbContext db) : IProgressWatchMarks
{
    public bool MarksWatches => true;

    public async Task<bool> MarkAsync(Guid executionId, DateTime until, CancellationToken cancellationToken)
    {
        var existing = await db.Executions.Where(x => x.CorrelationId == executionId)
            .Where(x => x.ProgressWatchedUntil == null || x.ProgressWatchedUntil < until)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ProgressWatchedUntil, until), cancellationToken);
        // Zero rows also when the mark is later already: then the row exists.
        return existing > 0 || await db.Executions.AnyAsync(x => x.CorrelationId == executionId, cancellationToken);
    }
}
