using System.Text.Json;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Nodes;

/// <summary>Routes its input to the port named after the case equal to <c>value</c>, else to <c>default</c>.</summary>
public sealed class SwitchNode : INodeExecutor
{
    public const string DefaultPort = "default";

    public NodeTypeDescriptor Descriptor { get; } = new()
    {
        Type = BuiltInNodeTypes.Switch,
        Placement = NodePlacement.Inline,
        RequiredParameters = ["value", "cases"],
        Ports = null,
        PortsFromParameters = parameters => [.. Cases(parameters.GetValueOrDefault("cases")), DefaultPort],
        ValidateParameters = Validate,
    };

    public Task<NodeResult> ExecuteAsync(NodeExecutionContext context, CancellationToken cancellationToken)
    {
        var value = JsonValues.ToText(context.GetParameter("value"));
        var cases = Cases(context.GetParameter("cases") ?? default);
        var port = value is not null && cases.Contains(value, StringComparer.Ordinal) ? value : DefaultPort;
        return Task.FromResult(NodeResult.On(port, context.Input));
    }

    private static IReadOnlyList<string> Cases(JsonElement cases) =>
        cases.ValueKind == JsonValueKind.Array
            ? [.. cases.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()!)]
            : [];

    private static IEnumerable<ParameterProblem> Validate(IReadOnlyDictionary<string, JsonElement> parameters)
    {
        if (!parameters.TryGetValue("cases", out var cases))
            yield break;
        if (cases.ValueKind != JsonValueKind.Array || cases.EnumerateArray().Any(c => c.ValueKind != JsonValueKind.String))
        {
            yield return new ParameterProblem("cases", "must be an array of strings");
            yield break;
        }
        var names = Cases(cases);
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
            yield return new ParameterProblem("cases", "repeats a case");
        foreach (var reserved in names.Where(n => n is DefaultPort or Contracts.OutputPorts.Error || string.IsNullOrWhiteSpace(n)))
            yield return new ParameterProblem("cases", $"'{reserved}' cannot be a case: it is empty or a reserved port name");
    }
}
