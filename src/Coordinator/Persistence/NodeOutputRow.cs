namespace Workflow.Messaging.Coordinator.Persistence;

/// <summary>One node's (or one fan-out item's) output: a row of its own so the saga row stays small.</summary>
public sealed class NodeOutputRow
{
    /// <summary>Stored for a whole node's output; item outputs carry their index. Keys cannot be null.</summary>
    public const int WholeNode = -1;

    public Guid ExecutionId { get; set; }
    public string NodeId { get; set; } = "";
    public int ItemIndex { get; set; } = WholeNode;
    public string OutputJson { get; set; } = "null";
}
