using Microsoft.EntityFrameworkCore;
using Workflow.Messaging.Coordinator.Persistence;

namespace Workflow.Messaging.Coordinator.ProgressWatch;

/// <summary>PostgreSQL: one UPDATE of the saga row's mark, which waits for the row lock of a step in progress.</summary>
public sealed class EfProgressWatchMarks(CoordinatorDbContext db) : IProgressWatchMarks
{
    public bool MarksWatches => true;

    public async Task<bool> MarkAsync(Guid executionId, DateTime until, CancellationToken cancellationToken)
    {
        // The later of the two marks, in one statement that also says whether the row exists.
        var rows = await db.Executions.Where(x => x.CorrelationId == executionId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ProgressWatchedUntil,
                x => x.ProgressWatchedUntil != null && x.ProgressWatchedUntil > until ? x.ProgressWatchedUntil : until), cancellationToken);
        return rows > 0;
    }
}
