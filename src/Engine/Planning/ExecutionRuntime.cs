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

/// <summary>
/// One node: pending until its join resolves, then one instance, or one per fan-out item that is
/// under way or failed. A fan-out item gets its instance when a dispatch slot is free for it and
/// gives it up when it succeeds (counted in <see cref="ItemsSucceeded"/>), so a step reads and
/// writes state for the items in flight, never for all of them: the cost per item stays flat
/// however many items there are.
/// </summary>
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

    /// <summary>Items of a fan-out node once its items were read; null before, and for other nodes.</summary>
    [JsonPropertyName("ic")]
    public int? ItemCount { get; set; }

    /// <summary>Items given an instance so far, in item order; the rest wait for a dispatch slot.</summary>
    [JsonPropertyName("ni")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int NextItem { get; set; }

    /// <summary>Items that succeeded and whose instance was let go (their output is stored).</summary>
    [JsonPropertyName("is")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int ItemsSucceeded { get; set; }

    /// <summary>Set when an execution retry started this node again: it may have stored outputs before.</summary>
    [JsonPropertyName("rr")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Rerun { get; set; }

    [JsonPropertyName("e")]
    public NodeError? Error { get; set; }

    [JsonPropertyName("rt")]
    public DateTime? ReadyAt { get; set; }

    [JsonPropertyName("ft")]
    public DateTime? FinishedAt { get; set; }

    [JsonIgnore]
    public bool IsTerminal => Status.IsTerminal();

    /// <summary>Items not given an instance yet. A runtime stored before lazy items has every instance made (no <see cref="ItemCount"/>).</summary>
    [JsonIgnore]
    public int ItemsNotStarted => ItemCount is { } count ? count - NextItem : 0;

    /// <summary>Every item of a fan-out node, whether it still has an instance or not.</summary>
    [JsonIgnore]
    public int TotalItems => ItemCount ?? Instances.Count(i => i.Index is not null) + ItemsSucceeded;
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
