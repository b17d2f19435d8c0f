using System.Text.Json;

namespace Workflow.Messaging.Contracts;

/// <summary>Runs one attempt of one node instance on a worker of the node's pool.</summary>
public sealed record ExecuteNode
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>The workflow, for logs.</summary>
    public required string WorkflowId { get; init; }

    /// <summary>Node id within the workflow.</summary>
    public required string NodeId { get; init; }

    /// <summary>Node type: selects the executor.</summary>
    public required string NodeType { get; init; }

    /// <summary>1-based attempt number; a result carries it back so stale results are recognised.</summary>
    public required int Attempt { get; init; }

    /// <summary>Fan-out item index, or none for a node that is not fanned out.</summary>
    public int? ItemIndex { get; init; }

    /// <summary>Parameters with templates already resolved by the coordinator.</summary>
    public required JsonElement Parameters { get; init; }

    /// <summary>The node's input: the upstream output (an object keyed by node id when several deliver), or the fan-out item.</summary>
    public required JsonElement Input { get; init; }

    /// <summary>Deterministic per (execution, node, attempt, item): lets side effects deduplicate redeliveries.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Longest the attempt may run.</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>When the coordinator dispatched it (UTC), to measure queue wait.</summary>
    public required DateTime DispatchedAt { get; init; }
}
