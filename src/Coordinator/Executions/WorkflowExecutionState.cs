using MassTransit;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Executions;

/// <summary>
/// One execution's saga row. Node states are one compact JSON column and node outputs live in
/// their own store, so the row stays small even for a wide fan-out.
/// </summary>
public class WorkflowExecutionState : SagaStateMachineInstance
{
    /// <summary>The execution id.</summary>
    public Guid CorrelationId { get; set; }

    /// <summary>State name; a string so that reordering states never rewrites history.</summary>
    public string CurrentState { get; set; } = null!;

    public string WorkflowId { get; set; } = "";
    public int WorkflowVersion { get; set; }

    /// <summary>The definition snapshot taken at start: later versions never change a running execution.</summary>
    public string DefinitionJson { get; set; } = "";

    public string? InputJson { get; set; }

    /// <summary>Serialized <see cref="Engine.Planning.ExecutionRuntime"/>.</summary>
    public string RuntimeJson { get; set; } = "";

    /// <summary>Status decided by the planner in the last step; the state machine transitions on it.</summary>
    public ExecutionStatus? FinalStatus { get; set; }

    public string? FailedNodeId { get; set; }

    /// <summary>The failing node's error, or the definition problems of a rejected start, as JSON.</summary>
    public string? ErrorJson { get; set; }

    public string? RequestedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }

    /// <summary>The execution deadline currently scheduled; a deadline message for another time is stale.</summary>
    public DateTime? DeadlineAt { get; set; }

    /// <summary>
    /// The earliest lease of a running attempt, or null when none runs (always null once ended).
    /// The lease sweep finds the execution by it (an indexed column) once it has come; only a
    /// check for this time is acted on.
    /// </summary>
    public DateTime? LeaseCheckAt { get; set; }

    /// <summary>
    /// Until when someone watches this execution's progress (an open event stream marks it and
    /// renews it). Under ProgressPublishing.WhileWatched a step publishes
    /// ExecutionProgressed only before this time. Not indexed: only the row's own step reads it.
    /// </summary>
    public DateTime? ProgressWatchedUntil { get; set; }

    /// <summary>A copy for the state cache: every member is a value or an immutable string.</summary>
    public WorkflowExecutionState Copy() => (WorkflowExecutionState)MemberwiseClone();
}
