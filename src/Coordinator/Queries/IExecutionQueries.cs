using Workflow.Messaging.Coordinator.Executions;

namespace Workflow.Messaging.Coordinator.Queries;

/// <summary>
/// Read access to execution saga rows for the API; never used by the saga itself. Rows returned
/// are snapshots to read, not to change. One implementation per saga repository: the in-memory
/// one (<see cref="SagaRepositoryExecutionQueries"/>) and a database one that filters and pages in SQL.
/// </summary>
public interface IExecutionQueries
{
    /// <summary>The execution, or null when there is none with that id.</summary>
    Task<WorkflowExecutionState?> FindAsync(Guid executionId, CancellationToken cancellationToken);

    /// <summary>Executions matching <paramref name="filter"/>, newest first (CreatedAt descending, then id), one page of them.</summary>
    Task<ExecutionPage> ListAsync(ExecutionFilter filter, CancellationToken cancellationToken);

    /// <summary>How many executions match <paramref name="filter"/> in each saga state, ignoring its states and paging (the console's counts).</summary>
    Task<IReadOnlyDictionary<string, int>> CountByStateAsync(ExecutionFilter filter, CancellationToken cancellationToken);
}

/// <summary>Every set criterion must match; <see cref="States"/> holds saga state names (Running, Failed, ...).</summary>
public sealed record ExecutionFilter
{
    public string? WorkflowId { get; init; }
    public IReadOnlyCollection<string> States { get; init; } = [];

    /// <summary>Created at or after (UTC).</summary>
    public DateTime? CreatedFrom { get; init; }

    /// <summary>Created before (UTC).</summary>
    public DateTime? CreatedTo { get; init; }

    public int Skip { get; init; }
    public int Take { get; init; } = 50;
}

/// <summary>One page and the number of matches over all pages.</summary>
public sealed record ExecutionPage(IReadOnlyList<WorkflowExecutionState> Items, int Total);
