using System.Text.Json;

namespace Workflow.Messaging.Contracts;

/// <summary>
/// Starts one execution. The execution id is the idempotency key: a second StartWorkflow with
/// the same id never creates a second execution. Give either an inline <see cref="Definition"/>
/// or a stored (<see cref="WorkflowId"/>, <see cref="WorkflowVersion"/>).
/// </summary>
public sealed record StartWorkflow
{
    /// <summary>Id of the execution to create (client-chosen, so a retried publish is harmless).</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>An inline definition; wins over <see cref="WorkflowId"/>.</summary>
    public WorkflowDefinition? Definition { get; init; }

    /// <summary>Id of a stored definition.</summary>
    public string? WorkflowId { get; init; }

    /// <summary>Version of the stored definition; none means the latest.</summary>
    public int? WorkflowVersion { get; init; }

    /// <summary>The execution's input, visible to templates as <c>$execution.input</c> and to start nodes as <c>$input</c>.</summary>
    public JsonElement? Input { get; init; }

    /// <summary>Who or what asked for the execution (user, API key name, service).</summary>
    public string? RequestedBy { get; init; }

    /// <summary>
    /// Order among executions queued behind a concurrency limit: higher goes first, equal ones in
    /// order of arrival. None is 0. Has no effect when no limit applies.
    /// </summary>
    public int? Priority { get; init; }
}
