using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Engine.Planning;

/// <summary>What one planner call decided; the coordinator carries it out.</summary>
public sealed class PlanStep
{
    /// <summary>False when the event was stale or a duplicate and changed nothing.</summary>
    public bool Accepted { get; set; } = true;

    public List<NodeTransition> Transitions { get; } = [];

    /// <summary>Instances that went Running (or Waiting, for held node types) in this step, or a silent running attempt sent again.</summary>
    public List<InstanceRef> Dispatches { get; } = [];

    /// <summary>Fan-out nodes that became ready: the host reads their items and calls ExpandFanOut.</summary>
    public List<string> FanOutsToExpand { get; } = [];

    /// <summary>Failed attempts whose next attempt must be scheduled after a delay.</summary>
    public List<ScheduledRetry> Retries { get; } = [];

    /// <summary>Instances that failed for good under a continue strategy: their error becomes their output.</summary>
    public List<InstanceRef> ErrorOutputs { get; } = [];

    /// <summary>Fan-out nodes that finished: their item outputs are joined, in item order, into the node output.</summary>
    public List<string> CompletedFanOuts { get; } = [];

    /// <summary>Set when the execution has ended.</summary>
    public ExecutionOutcome? Outcome { get; set; }
}

/// <summary>An instance of a node: (node, item) at an attempt.</summary>
public sealed record InstanceRef(string NodeId, int? ItemIndex, int Attempt);

/// <summary>The next attempt of an instance, due after <paramref name="Delay"/>.</summary>
public sealed record ScheduledRetry(string NodeId, int? ItemIndex, int Attempt, TimeSpan Delay);

/// <summary>How an execution ended, decided from node states alone.</summary>
public sealed record ExecutionOutcome(ExecutionStatus Status, string? FailedNodeId = null, NodeError? Error = null)
{
    public static ExecutionOutcome Succeeded { get; } = new(ExecutionStatus.Succeeded);
}
