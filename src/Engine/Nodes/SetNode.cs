using System.Text.Json;
using System.Text.Json.Nodes;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Nodes;

/// <summary>Outputs the object in <c>values</c>, optionally on top of the input object (<c>keepInput</c>).</summary>
public sealed class SetNode : INodeExecutor
{
    public NodeTypeDescriptor Descriptor { get; } = new()
    {
        Type = BuiltInNodeTypes.Set,
        Placement = NodePlacement.Inline,
        RequiredParameters = ["values"],
        ValidateParameters = Validate,
    };

    public Task<NodeResult> ExecuteAsync(NodeExecutionContext context, CancellationToken cancellationToken)
    {
        var values = context.GetParameter("values");
        if (values is not { ValueKind: JsonValueKind.Object })
            throw NodeExecutionException.Fatal("Parameter 'values' must be an object.", "invalid-parameters");

        var keepInput = JsonValues.ToBoolean(context.GetParameter("keepInput")) ?? false;
        var output = keepInput && context.Input.ValueKind == JsonValueKind.Object
            ? JsonObject.Create(context.Input)!
            : [];
        foreach (var property in values.Value.EnumerateObject())
            output[property.Name] = JsonSerializer.SerializeToNode(property.Value);
        return Task.FromResult(NodeResult.Main(JsonValues.ToElement(output)));
    }

    private static IEnumerable<ParameterProblem> Validate(IReadOnlyDictionary<string, JsonElement> parameters)
    {
        if (parameters.TryGetValue("values", out var values) && values.ValueKind != JsonValueKind.Object)
            yield return new ParameterProblem("values", "must be an object");
    }
}
