using System.Text.Json;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Nodes;

/// <summary>Routes its input to <c>true</c> or <c>false</c> by a list of conditions combined with and/or.</summary>
public sealed class IfNode : INodeExecutor
{
    public NodeTypeDescriptor Descriptor { get; } = new()
    {
        Type = BuiltInNodeTypes.If,
        Placement = NodePlacement.Inline,
        RequiredParameters = ["conditions"],
        Ports = ["true", "false"],
        ValidateParameters = Validate,
    };

    public Task<NodeResult> ExecuteAsync(NodeExecutionContext context, CancellationToken cancellationToken)
    {
        if (context.GetParameter("conditions") is not { ValueKind: JsonValueKind.Array } conditions)
            throw NodeExecutionException.Fatal("Parameter 'conditions' must be an array.", "invalid-parameters");

        var any = IsOr(context.GetString("combine"));
        // Evaluated lazily so "and" stops at the first false and "or" at the first true.
        var results = conditions.EnumerateArray().Select(Condition.Evaluate);
        var taken = any ? results.Any(r => r) : results.All(r => r);
        return Task.FromResult(NodeResult.On(taken ? "true" : "false", context.Input));
    }

    private static bool IsOr(string? combine) => string.Equals(combine, "or", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<ParameterProblem> Validate(IReadOnlyDictionary<string, JsonElement> parameters)
    {
        if (parameters.TryGetValue("combine", out var combine) && !JsonValues.IsTemplate(combine)
            && JsonValues.ToText(combine) is not ("and" or "or"))
            yield return new ParameterProblem("combine", "must be \"and\" or \"or\"");

        if (!parameters.TryGetValue("conditions", out var conditions))
            yield break;
        if (conditions.ValueKind != JsonValueKind.Array)
        {
            yield return new ParameterProblem("conditions", "must be an array of {left, operator, right}");
            yield break;
        }
        var index = 0;
        foreach (var condition in conditions.EnumerateArray())
        {
            var name = $"conditions[{index++}]";
            if (condition.ValueKind != JsonValueKind.Object)
                yield return new ParameterProblem(name, "must be an object {left, operator, right}");
            else if (!condition.TryGetProperty("operator", out var op) || op.ValueKind != JsonValueKind.String)
                yield return new ParameterProblem($"{name}.operator", "is required");
            else if (!Condition.Operators.Contains(op.GetString()!))
                yield return new ParameterProblem($"{name}.operator",
                    $"'{op.GetString()}' is not an operator; use one of {string.Join(", ", Condition.Operators)}");
        }
    }
}
