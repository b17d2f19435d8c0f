using Workflow.Messaging.Coordinator.Executions;

namespace Workflow.Messaging.Coordinator.ProgressWatch;

/// <summary>When a saga step publishes ExecutionProgressed (<c>Coordinator:Progress</c>).</summary>
public enum ProgressPublishing
{
    /// <summary>
    /// Only for an execution an event stream watches (<see cref="WorkflowExecutionState.ProgressWatchedUntil"/>).
    /// Needs the saga row lock to be exact, so it applies on PostgreSQL; the embedded providers
    /// (Memory, SQLite, in-memory transport, where a publish costs little) publish always.
    /// </summary>
    WhileWatched,

    /// <summary>Every step: for consumers of ExecutionProgressed of one's own on the broker.</summary>
    Always,

    /// <summary>Never: event streams get the snapshot and the finish only.</summary>
    Never,
}

/// <summary>The step's decision, from the setting, the store's support for marks and the row's mark.</summary>
public static class ProgressPolicy
{
    public static bool ShouldPublish(ProgressPublishing setting, bool storeMarksWatches, WorkflowExecutionState saga, DateTime now) => setting switch
    {
        ProgressPublishing.Always => true,
        ProgressPublishing.Never => false,
        _ => !storeMarksWatches || saga.ProgressWatchedUntil > now,
    };
}
