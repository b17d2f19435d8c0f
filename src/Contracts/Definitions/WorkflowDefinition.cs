using System.Text.Json.Serialization;

namespace Workflow.Messaging.Contracts;

/// <summary>
/// A versioned workflow: a directed acyclic graph of typed nodes joined by connections.
/// This record is the JSON form users write (see docs/definition-format.md and
/// workflow-definition.schema.json); it is immutable once an execution snapshots it.
/// </summary>
public sealed record WorkflowDefinition
{
    /// <summary>Stable identifier of the workflow, shared by all its versions.</summary>
    public required string Id { get; init; }

    /// <summary>Version number, 1 or more; (Id, Version) identifies one immutable definition.</summary>
    public int Version { get; init; } = 1;

    /// <summary>Human-readable name.</summary>
    public string? Name { get; init; }

    /// <summary>The nodes; ids are unique within the workflow.</summary>
    public required IReadOnlyList<NodeDefinition> Nodes { get; init; }

    /// <summary>Edges from a node's output port to another node.</summary>
    public IReadOnlyList<ConnectionDefinition> Connections { get; init; } = [];

    /// <summary>Execution-wide limits.</summary>
    public WorkflowSettings Settings { get; init; } = new();
}
