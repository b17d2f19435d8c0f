namespace Workflow.Messaging.Coordinator.Persistence;

/// <summary>A stored definition version; immutable once written.</summary>
public sealed class WorkflowDefinitionRow
{
    public string WorkflowId { get; set; } = "";
    public int Version { get; set; }
    public string DefinitionJson { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}
