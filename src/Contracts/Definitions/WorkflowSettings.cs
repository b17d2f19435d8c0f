using System.Text.Json.Serialization;

namespace Workflow.Messaging.Contracts;

/// <summary>Execution-wide limits of a workflow.</summary>
public sealed record WorkflowSettings
{
    /// <summary>Deadline for a whole execution; past it the execution ends as TimedOut. None: no deadline.</summary>
    [JsonConverter(typeof(NullableDurationJsonConverter))]
    public TimeSpan? ExecutionTimeout { get; init; }

    /// <summary>Most node instances of one execution running at once (fan-out items count one each).</summary>
    public int MaxParallelNodes { get; init; } = 16;

    /// <summary>
    /// Most executions of this workflow (any version) running at once across the whole fleet; more
    /// starts wait in Queued, in order of arrival. None: no limit of its own.
    /// </summary>
    public int? MaxConcurrentExecutions { get; init; }
}
