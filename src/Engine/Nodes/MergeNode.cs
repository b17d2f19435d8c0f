using System.Text.Json;
using System.Text.Json.Nodes;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Nodes;

/// <summary>
/// Joins branches. The coordinator already hands a join an object keyed by upstream node id, so
/// mode <c>object</c> passes it on; mode <c>array</c> lists the values in key order. With a single
/// upstream the input is that node's output itself, which <c>array</c> wraps unless it is an object.
/// </summary>
public sealed class MergeNode : INodeExecutor
{
    public NodeTypeDescriptor Descriptor { get; } = new()
    {
        Type = BuiltInNodeTypes.Merge,
        Placement = NodePlacement.Inline,
        ValidateParameters = Validate,
    };

    public Task<NodeResult> ExecuteAsync(NodeExecutionContext context, CancellationToken cancellationToken)
    {
        var mode = context.GetString("mode") ?? "object";
        var output = mode switch
        {
            "object" => context.Input,
            "array" => ToArray(context.Input),
            _ => throw NodeExecutionException.Fatal($"Unknown merge mode '{mode}': use \"object\" or \"array\".", "invalid-parameters"),
        };
        return Task.FromResult(NodeResult.Main(output));
    }

    private static JsonElement ToArray(JsonElement input) => input.ValueKind switch
    {
        JsonValueKind.Array => input,
        JsonValueKind.Object => JsonValues.ToElement(new JsonArray([.. input.EnumerateObject().Select(p => JsonSerializer.SerializeToNode(p.Value))])),
        _ => JsonValues.ToElement(new JsonArray(JsonSerializer.SerializeToNode(input))),
    };

    private static IEnumerable<ParameterProblem> Validate(IReadOnlyDictionary<string, JsonElement> parameters)
    {
        if (parameters.TryGetValue("mode", out var mode) && !JsonValues.IsTemplate(mode) && JsonValues.ToText(mode) is not ("object" or "array"))
            yield return new ParameterProblem("mode", "must be \"object\" or \"array\"");
    }
}
