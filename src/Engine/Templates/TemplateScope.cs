using System.Text.Json;

namespace Workflow.Messaging.Engine.Templates;

/// <summary>What a template can see while one node instance's parameters are resolved.</summary>
public sealed record TemplateScope
{
    /// <summary><c>$input</c>: the node's input.</summary>
    public required JsonElement Input { get; init; }

    /// <summary><c>$execution.input</c>.</summary>
    public required JsonElement ExecutionInput { get; init; }

    /// <summary><c>$execution.id</c>.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary><c>$workflow.id</c>.</summary>
    public required string WorkflowId { get; init; }

    /// <summary><c>$node.&lt;id&gt;.output</c>: outputs of finished nodes, null when a node has none (yet).</summary>
    public required Func<string, JsonElement?> NodeOutput { get; init; }

    /// <summary><c>$item</c> inside a fan-out.</summary>
    public JsonElement? Item { get; init; }

    /// <summary><c>$itemIndex</c> inside a fan-out.</summary>
    public int? ItemIndex { get; init; }
}
