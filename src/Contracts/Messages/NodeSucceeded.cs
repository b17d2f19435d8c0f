using System.Text.Json;

namespace Workflow.Messaging.Contracts;

/// <summary>An attempt finished with an output on one or more ports.</summary>
public sealed record NodeSucceeded
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>Node id.</summary>
    public required string NodeId { get; init; }

    /// <summary>The attempt this result belongs to; a result for an older attempt is ignored.</summary>
    public required int Attempt { get; init; }

    /// <summary>Fan-out item index.</summary>
    public int? ItemIndex { get; init; }

    /// <summary>The node's output.</summary>
    public required JsonElement Output { get; init; }

    /// <summary>Output ports taken; usually <c>main</c>, a branch name for <c>if</c>/<c>switch</c>.</summary>
    public required IReadOnlyList<string> Ports { get; init; }

    /// <summary>The worker that ran it (<c>coordinator</c> for inline nodes).</summary>
    public required string WorkerId { get; init; }

    /// <summary>How long the attempt ran.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>When the worker began the attempt (UTC); null from workers that predate it.</summary>
    public DateTime? StartedAt { get; init; }

    /// <summary>When the coordinator dispatched the attempt (its ExecuteNode's DispatchedAt): queue wait is StartedAt minus this.</summary>
    public DateTime? DispatchedAt { get; init; }

    /// <summary>
    /// Whether the worker announced the attempt with a NodeStarted (only attempts that run past the worker's
    /// announcement delay are announced). False tells the coordinator that the attempt tracker has no row to end;
    /// null, from workers that predate it, counts as announced.
    /// </summary>
    public bool? StartAnnounced { get; init; }
}
