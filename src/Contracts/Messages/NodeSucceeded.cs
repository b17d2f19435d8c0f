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
}
