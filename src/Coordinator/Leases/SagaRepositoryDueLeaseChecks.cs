using System.Linq.Expressions;
using MassTransit;
using Workflow.Messaging.Coordinator.Executions;

namespace Workflow.Messaging.Coordinator.Leases;

/// <summary>
/// The Memory provider's executions live in MassTransit's in-memory saga repository, which answers
/// queries by scanning its instances: fine for the one process and the few executions it holds,
/// and it lets the embedded fleet use the same sweep as the databases instead of a scheduler of its own.
/// </summary>
public sealed class SagaRepositoryDueLeaseChecks(
    IQuerySagaRepository<WorkflowExecutionState> query,
    ILoadSagaRepository<WorkflowExecutionState> load) : IDueLeaseChecks
{
    public async Task<IReadOnlyList<DueLeaseCheck>> DueAsync(DateTime now, int limit, CancellationToken cancellationToken)
    {
        var ids = await query.Find(new DueQuery(s => s.LeaseCheckAt <= now
            && (s.CurrentState == nameof(WorkflowExecutionStateMachine.Running) || s.CurrentState == nameof(WorkflowExecutionStateMachine.Paused))));
        var due = new List<DueLeaseCheck>();
        foreach (var id in ids)
            // Read again: a step may have moved the check since the scan.
            if (await load.Load(id) is { LeaseCheckAt: { } checkAt } && checkAt <= now)
                due.Add(new DueLeaseCheck(id, checkAt));
        return due.OrderBy(d => d.CheckAt).Take(limit).ToList();
    }

    private sealed class DueQuery(Expression<Func<WorkflowExecutionState, bool>> filter) : ISagaQuery<WorkflowExecutionState>
    {
        private readonly Func<WorkflowExecutionState, bool> _compiled = filter.Compile();

        public Expression<Func<WorkflowExecutionState, bool>> FilterExpression => filter;

        public Func<WorkflowExecutionState, bool> GetFilter() => _compiled;
    }
}
