using System.Text.Json.Serialization;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Engine.Planning;

/// <summary>
/// The per-node state of one execution: the only input the planner needs besides the graph.
/// Persisted as compact JSON in the saga row; outputs live elsewhere, so this stays small.
/// </summary>
public sealed class ExecutionRuntime
{
    [JsonPropertyName("n")]
    public Dictionary<string, NodeRuntime> Nodes { get; init; } = new(StringComparer.Ordinal);

    public NodeRuntime this[string nodeId] => Nodes[nodeId];
}

/// <summary>One node: pending until its join resolves, then one instance (or one per fan-out item).</summary>
public sealed class NodeRuntime
{
    [JsonPropertyName("s")]
    public NodeStatus Status { get; set; } = NodeStatus.Pending;

    /// <summary>Ports taken once the node is terminal; edges from other ports are dead.</summary>
    [JsonPropertyName("p")]
    public List<string>? Ports { get; set; }

    /// <summary>Empty while pending; one instance with a null index for a node that is not fanned out.</summary>
    [JsonPropertyName("i")]
    public List<InstanceRuntime> Instances { get; set; } = [];

    [JsonPropertyName("e")]
    public NodeError? Error { get; set; }

    [JsonPropertyName("rt")]
    public DateTime? ReadyAt { get; set; }

    [JsonPropertyName("ft")]
    public DateTime? FinishedAt { get; set; }

    [JsonIgnore]
    public bool IsTerminal => Status.IsTerminal();
}

/// <summary>One attempt sequence of a node, or of one fan-out item of it.</summary>
public sealed class InstanceRuntime
{
    [JsonPropertyName("x")]
    public int? Index { get; set; }

    [JsonPropertyName("s")]
    public NodeStatus Status { get; set; } = NodeStatus.Ready;

    /// <summary>The attempt running now, or the next one to run when Ready or RetryScheduled.</summary>
    [JsonPropertyName("a")]
    public int Attempt { get; set; } = 1;

    /// <summary>First attempt of the current retry budget; an execution retry starts a new budget.</summary>
    [JsonPropertyName("fa")]
    public int FirstAttempt { get; set; } = 1;

    /// <summary>When a running instance is presumed lost unless a result or heartbeat arrives.</summary>
    [JsonPropertyName("l")]
    public DateTime? LeaseUntil { get; set; }

    [JsonPropertyName("st")]
    public DateTime? StartedAt { get; set; }

    [JsonPropertyName("w")]
    public string? WorkerId { get; set; }

    [JsonPropertyName("e")]
    public NodeError? LastError { get; set; }
}

public static class NodeStatusExtensions
{
    public static bool IsTerminal(this NodeStatus status) =>
        status is NodeStatus.Succeeded or NodeStatus.Failed or NodeStatus.Skipped or NodeStatus.Cancelled;

    /// <summary>Running, waiting or about to run again: the execution cannot finish while any node is in one of these.</summary>
    public static bool IsActive(this NodeStatus status) =>
        status is NodeStatus.Ready or NodeStatus.Running or NodeStatus.Waiting or NodeStatus.RetryScheduled;
}
