using System.Linq.Expressions;
using MassTransit;
using Workflow.Messaging.Coordinator.Executions;

namespace Workflow.Messaging.Coordinator.Queries;

/// <summary>
/// Queries over MassTransit's query and load repository abstractions, which the in-memory saga
/// repository implements. Matching ids come from the repository and rows are loaded one by one,
/// so this suits the embedded mode, not a database with many rows.
/// </summary>
public sealed class SagaRepositoryExecutionQueries(
    IQuerySagaRepository<WorkflowExecutionState> query,
    ILoadSagaRepository<WorkflowExecutionState> load) : IExecutionQueries
{
    public async Task<WorkflowExecutionState?> FindAsync(Guid executionId, CancellationToken cancellationToken)
    {
        var saga = await load.Load(executionId);
        // A saga row exists from the first step on; before that MassTransit keeps no state we can show.
        return saga is null || string.IsNullOrEmpty(saga.CurrentState) ? null : saga;
    }

    public async Task<ExecutionPage> ListAsync(ExecutionFilter filter, CancellationToken cancellationToken)
    {
        var ids = await query.Find(new Query(Matches(filter)));
        var rows = new List<WorkflowExecutionState>();
        foreach (var id in ids)
            if (await FindAsync(id, cancellationToken) is { } saga)
                rows.Add(saga);
        var ordered = rows.OrderByDescending(s => s.CreatedAt).ThenBy(s => s.CorrelationId).ToList();
        return new ExecutionPage(ordered.Skip(filter.Skip).Take(filter.Take).ToList(), ordered.Count);
    }

    public async Task<IReadOnlyDictionary<string, int>> CountByStateAsync(ExecutionFilter filter, CancellationToken cancellationToken)
    {
        var all = await ListAsync(filter with { States = [], Skip = 0, Take = int.MaxValue }, cancellationToken);
        return all.Items.GroupBy(s => s.CurrentState).ToDictionary(g => g.Key, g => g.Count());
    }

    private static Expression<Func<WorkflowExecutionState, bool>> Matches(ExecutionFilter filter)
    {
        var states = filter.States.ToHashSet(StringComparer.Ordinal);
        return s => (filter.WorkflowId == null || s.WorkflowId == filter.WorkflowId)
            && (states.Count == 0 || states.Contains(s.CurrentState))
            && (filter.CreatedFrom == null || s.CreatedAt >= filter.CreatedFrom)
            && (filter.CreatedTo == null || s.CreatedAt < filter.CreatedTo);
    }

    private sealed class Query(Expression<Func<WorkflowExecutionState, bool>> filter) : ISagaQuery<WorkflowExecutionState>
    {
        private readonly Func<WorkflowExecutionState, bool> _compiled = filter.Compile();

        public Expression<Func<WorkflowExecutionState, bool>> FilterExpression => filter;

        public Func<WorkflowExecutionState, bool> GetFilter() => _compiled;
    }
}
