using System.Text.Json;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Api.Models;

/// <summary>
/// <c>POST /api/executions</c>: a stored workflow by id (and optionally version), or an inline
/// definition. The input is any JSON value.
/// </summary>
public sealed record StartExecutionRequest
{
    public string? WorkflowId { get; init; }
    public int? Version { get; init; }
    public JsonElement? Definition { get; init; }
    public JsonElement? Input { get; init; }
    public string? RequestedBy { get; init; }

    /// <summary>Order among executions queued behind a limit: higher first (default 0).</summary>
    public int? Priority { get; init; }
}

/// <summary>The execution was accepted; its progress is at <see cref="StatusUrl"/> and <see cref="EventsUrl"/>.</summary>
public sealed record ExecutionAccepted(Guid ExecutionId, string StatusUrl, string EventsUrl);

/// <summary>A command was accepted; the saga carries it out asynchronously.</summary>
public sealed record CommandAccepted(Guid ExecutionId, string Command, string StatusUrl);

/// <summary>Optional body of pause, resume, cancel and retry.</summary>
public sealed record CommandRequest(string? Reason = null, string? RequestedBy = null);

/// <summary>The answer to a waiting approval node.</summary>
public sealed record DecisionRequest
{
    public bool? Approved { get; init; }
    public string? DecidedBy { get; init; }
    public string? Comment { get; init; }
}

public sealed record ExecutionSummary
{
    public required Guid Id { get; init; }
    public required string WorkflowId { get; init; }
    public required int WorkflowVersion { get; init; }
    public required ExecutionStatus Status { get; init; }
    public required DateTime CreatedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public string? RequestedBy { get; init; }
}

public sealed record ExecutionDetails
{
    public required Guid Id { get; init; }
    public required string WorkflowId { get; init; }
    public required int WorkflowVersion { get; init; }
    public required ExecutionStatus Status { get; init; }
    public required DateTime CreatedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public string? RequestedBy { get; init; }
    public JsonElement? Input { get; init; }
    public string? FailedNodeId { get; init; }

    /// <summary>The failing node's error, the definition problems of a rejected start, or a cancel reason.</summary>
    public JsonElement? Error { get; init; }

    /// <summary>
    /// The limits the execution (queued) or one of its node attempts (parked) waits for:
    /// <c>executions</c>, <c>workflow:&lt;id&gt;</c>, <c>resource:&lt;name&gt;</c>, <c>node-type:&lt;type&gt;</c>, or a pool past
    /// its bound as <c>pool:&lt;name&gt; (depth D, bound B)</c>. Absent when nothing waits.
    /// </summary>
    public IReadOnlyList<string>? WaitingFor { get; init; }

    public required IReadOnlyList<NodeDetails> Nodes { get; init; }
}

public sealed record NodeDetails
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public required NodeStatus Status { get; init; }
    public IReadOnlyList<string>? Ports { get; init; }
    public DateTime? ReadyAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public NodeError? Error { get; init; }
    public JsonElement? Output { get; init; }

    /// <summary>True when the node has an output that this read left out to stay within its size budget (<c>Api:MaxStatusOutputBytes</c>).</summary>
    public bool? OutputOmitted { get; init; }

    /// <summary>Where the omitted output is read on its own.</summary>
    public string? OutputUrl { get; init; }

    /// <summary>
    /// One per attempt sequence: a single one, or one per fan-out item that has begun and not
    /// succeeded (succeeded items are counted in <see cref="ItemsSucceeded"/>, not listed).
    /// </summary>
    public required IReadOnlyList<NodeInstanceDetails> Instances { get; init; }

    /// <summary>Items of a fan-out node once they were read; null for other nodes.</summary>
    public int? ItemCount { get; init; }

    /// <summary>Items of a fan-out node that have begun (the rest wait for a dispatch slot).</summary>
    public int? ItemsStarted { get; init; }

    /// <summary>Items of a fan-out node that succeeded.</summary>
    public int? ItemsSucceeded { get; init; }
}

public sealed record NodeInstanceDetails
{
    public int? ItemIndex { get; init; }
    public required NodeStatus Status { get; init; }
    public required int Attempt { get; init; }

    /// <summary>Attempts spent on this instance, over all retries of the execution.</summary>
    public required int Attempts { get; init; }

    public DateTime? StartedAt { get; init; }
    public string? WorkerId { get; init; }
    public NodeError? LastError { get; init; }
}

/// <summary>One page of a list: 1-based <see cref="Page"/>, and the total over all pages.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);
