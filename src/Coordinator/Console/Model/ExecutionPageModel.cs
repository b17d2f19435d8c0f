using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Api.Models;

namespace Workflow.Messaging.Coordinator.Console.Model;

/// <summary>Everything the execution page shows when it opens; the script keeps the graph's states live from then on.</summary>
public sealed record ExecutionPageModel
{
    public required ExecutionDetails Execution { get; init; }
    public required string GraphSvg { get; init; }
    public required IReadOnlyList<TimelineRow> Timeline { get; init; }
    public required IReadOnlyList<PoolLink> Pools { get; init; }
    public string? SeqLink { get; init; }
}

/// <summary>A pool the workflow's nodes go to, its queue, and the queue's page in the management UI when one is configured.</summary>
public sealed record PoolLink(string Pool, string Queue, string? Url);

/// <summary>
/// A node's time on the timeline: ready (queued) from <see cref="ReadyAt"/>, its latest attempt
/// started at <see cref="StartedAt"/> (earlier attempts and their backoff lie between the two),
/// ended at <see cref="FinishedAt"/> (or still going).
/// </summary>
public sealed record TimelineRow(string NodeId, NodeStatus Status, DateTime ReadyAt, DateTime? StartedAt, DateTime? FinishedAt, int Attempts, int Items);

/// <summary>The side panel of one node of one execution.</summary>
public sealed record NodePanelModel
{
    public required Guid ExecutionId { get; init; }
    public required ExecutionStatus ExecutionStatus { get; init; }
    public required NodeDefinition Definition { get; init; }
    public required NodeDetails Details { get; init; }

    /// <summary>What the node received: the outputs of the nodes connected into it, by node id.</summary>
    public required IReadOnlyDictionary<string, System.Text.Json.JsonElement> Input { get; init; }

    public System.Text.Json.JsonElement? Output { get; init; }

    /// <summary>The node's pool and queue; none for nodes that run in the coordinator.</summary>
    public PoolLink? Pool { get; init; }

    /// <summary>Fan-out instances listed in the panel; the rest are only counted, so 10,000 items stay readable.</summary>
    public const int ListedInstances = 50;
}
