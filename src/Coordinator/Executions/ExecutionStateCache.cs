using System.Diagnostics.Metrics;
using Workflow.Messaging.Persistence;
using Workflow.Messaging.ServiceDefaults;

namespace Workflow.Messaging.Coordinator.Executions;

/// <summary>
/// The coordinator's use of <see cref="SagaRowCache{TSaga}"/> (PostgreSQL): the rows of running
/// executions this process stepped last, so that the next result of the same execution costs a
/// step no load and no lock. A chain's step then makes two round trips to the database (its
/// writes, its commit) instead of three.
/// </summary>
public static class ExecutionStateCache
{
    public static SagaRowCache<WorkflowExecutionState> Create(CoordinatorOptions coordinator)
    {
        var cache = new SagaRowCache<WorkflowExecutionState>(Options(coordinator));
        // Hits against misses says whether the cache pays here (see CoordinatorOptions.StateCacheMegabytes).
        WorkflowTelemetry.Meter.CreateObservableCounter("workflow.coordinator.state_cache.lookups",
            () => new[]
            {
                new Measurement<long>(cache.Hits, new KeyValuePair<string, object?>("result", "hit")),
                new Measurement<long>(cache.Misses, new KeyValuePair<string, object?>("result", "miss")),
                new Measurement<long>(cache.Conflicts, new KeyValuePair<string, object?>("result", "conflict")),
            },
            "{lookup}", "Saga steps that found their execution's row in the state cache (hit), loaded it (miss), or found the cached row stale and ran again (conflict, also counted as a hit).");
        return cache;
    }

    private static SagaRowCacheOptions<WorkflowExecutionState> Options(CoordinatorOptions coordinator) => new()
    {
        MaxBytes = Math.Max(0, coordinator.StateCacheMegabytes) * 1024L * 1024L,
        Copy = state => state.Copy(),
        // Strings are UTF-16 in memory; the rest of the row is a few hundred bytes.
        SizeOf = state => 512 + 2L * (state.DefinitionJson.Length + state.RuntimeJson.Length
            + (state.InputJson?.Length ?? 0) + (state.ErrorJson?.Length ?? 0)),
        // A small column no index covers: writing it back unchanged keeps the update HOT.
        TouchProperty = nameof(WorkflowExecutionState.WorkflowVersion),
        // An ended execution is stepped again only by a retry, which can load it.
        Keep = state => state.FinishedAt is null,
    };
}
