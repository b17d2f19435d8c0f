using Microsoft.EntityFrameworkCore;
using Workflow.Messaging.Coordinator.Executions;
using Workflow.Messaging.Coordinator.Persistence;

namespace Workflow.Messaging.Coordinator.Queries;

/// <summary>Queries over the saga table: filtered, ordered and paged in SQL (indexes on workflow, state and creation time).</summary>
public sealed class EfExecutionQueries(CoordinatorDbContext db) : IExecutionQueries
{
    public Task<WorkflowExecutionState?> FindAsync(Guid executionId, CancellationToken cancellationToken) =>
        db.Executions.AsNoTracking().FirstOrDefaultAsync(e => e.CorrelationId == executionId, cancellationToken);

    public async Task<ExecutionPage> ListAsync(ExecutionFilter filter, CancellationToken cancellationToken)
    {
        var query = Matching(filter);
        if (filter.States.Count > 0)
        {
            var states = filter.States.ToList();
            query = query.Where(e => states.Contains(e.CurrentState));
        }
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(e => e.CreatedAt).ThenBy(e => e.CorrelationId)
            .Skip(filter.Skip).Take(filter.Take).ToListAsync(cancellationToken);
        return new ExecutionPage(items, total);
    }

    public async Task<IReadOnlyDictionary<string, int>> CountByStateAsync(ExecutionFilter filter, CancellationToken cancellationToken) =>
        await Matching(filter).GroupBy(e => e.CurrentState).Select(g => new { State = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.State, g => g.Count, cancellationToken);

    /// <summary>Every criterion but the states: the counts by state group over the same rows.</summary>
    private IQueryable<WorkflowExecutionState> Matching(ExecutionFilter filter)
    {
        var query = db.Executions.AsNoTracking();
        if (filter.WorkflowId is { } workflowId)
            query = query.Where(e => e.WorkflowId == workflowId);
        if (filter.CreatedFrom is { } from)
            query = query.Where(e => e.CreatedAt >= from);
        if (filter.CreatedTo is { } to)
            query = query.Where(e => e.CreatedAt < to);
        return query;
    }
}
