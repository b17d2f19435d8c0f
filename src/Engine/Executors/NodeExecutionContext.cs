using System.Text.Json;

namespace Workflow.Messaging.Engine.Executors;

/// <summary>Everything one attempt of one node instance gets.</summary>
public sealed record NodeExecutionContext
{
    public required Guid ExecutionId { get; init; }
    public required string WorkflowId { get; init; }
    public required string NodeId { get; init; }
    public required string NodeType { get; init; }
    public required int Attempt { get; init; }
    public int? ItemIndex { get; init; }

    /// <summary>Parameters with templates resolved; a JSON object.</summary>
    public required JsonElement Parameters { get; init; }

    /// <summary>The node's input (upstream output, or the fan-out item).</summary>
    public required JsonElement Input { get; init; }

    /// <summary>Same value for every delivery of this (execution, node, attempt, item): use it to deduplicate side effects.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Services of the host, for executors that need clients or stores.</summary>
    public required IServiceProvider Services { get; init; }

    /// <summary>The context of one ExecuteNode, on a worker or inline in the coordinator alike.</summary>
    public static NodeExecutionContext For(Contracts.ExecuteNode message, IServiceProvider services) => new()
    {
        ExecutionId = message.ExecutionId,
        WorkflowId = message.WorkflowId,
        NodeId = message.NodeId,
        NodeType = message.NodeType,
        Attempt = message.Attempt,
        ItemIndex = message.ItemIndex,
        Parameters = message.Parameters,
        Input = message.Input,
        IdempotencyKey = message.IdempotencyKey,
        Services = services,
    };

    /// <summary>Reads an optional string parameter.</summary>
    public string? GetString(string name) =>
        Parameters.ValueKind == JsonValueKind.Object && Parameters.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    /// <summary>Reads an optional parameter as raw JSON.</summary>
    public JsonElement? GetParameter(string name) =>
        Parameters.ValueKind == JsonValueKind.Object && Parameters.TryGetProperty(name, out var value) ? value : null;
}
