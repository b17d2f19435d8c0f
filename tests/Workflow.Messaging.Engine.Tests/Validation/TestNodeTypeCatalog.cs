using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Tests.Validation;

/// <summary>The built-in node types as docs/definition-format.md describes them, without executors.</summary>
internal sealed class TestNodeTypeCatalog : INodeTypeCatalog
{
    public static TestNodeTypeCatalog Instance { get; } = new();

    private static readonly string[] Operators =
        ["eq", "ne", "gt", "gte", "lt", "lte", "contains", "startsWith", "endsWith", "exists", "notExists", "isEmpty", "isNotEmpty", "isTrue", "isFalse", "regex"];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    private readonly Dictionary<string, NodeTypeDescriptor> _types = new NodeTypeDescriptor[]
    {
        new() { Type = "noop", Placement = NodePlacement.Inline },
        new() { Type = "set", Placement = NodePlacement.Inline, RequiredParameters = ["values"], ValidateParameters = CheckSet },
        new() { Type = "if", Placement = NodePlacement.Inline, RequiredParameters = ["conditions"], Ports = ["true", "false"], ValidateParameters = CheckIf },
        new()
        {
            Type = "switch", Placement = NodePlacement.Inline, RequiredParameters = ["value", "cases"],
            Ports = null, PortsFromParameters = p => [.. Cases(p), "default"], ValidateParameters = CheckSwitch,
        },
        new() { Type = "merge", Placement = NodePlacement.Inline },
        new() { Type = "wait", Placement = NodePlacement.Timer, RequiredParameters = ["duration"], ValidateParameters = p => CheckDuration(p, "duration") },
        new() { Type = "approval", Placement = NodePlacement.Approval, Ports = ["approved", "rejected"], ValidateParameters = p => CheckDuration(p, "timeout") },
        new() { Type = "delay", RequiredParameters = ["duration"], ValidateParameters = p => CheckDuration(p, "duration") },
        new() { Type = "http", RequiredParameters = ["url"], ValidateParameters = CheckHttp },
        new() { Type = "code", RequiredParameters = ["script"], ValidateParameters = p => CheckString(p, "script") },
        new() { Type = "fail", ValidateParameters = CheckFail },
    }.ToDictionary(d => d.Type, StringComparer.Ordinal);

    public IReadOnlyCollection<NodeTypeDescriptor> All => _types.Values;

    public bool TryGet(string type, [NotNullWhen(true)] out NodeTypeDescriptor? descriptor) => _types.TryGetValue(type, out descriptor);

    private static IEnumerable<ParameterProblem> CheckSet(IReadOnlyDictionary<string, JsonElement> p)
    {
        if (p.TryGetValue("values", out var values) && values.ValueKind != JsonValueKind.Object)
            yield return new("values", "values must be an object.");
    }

    private static IEnumerable<ParameterProblem> CheckIf(IReadOnlyDictionary<string, JsonElement> p)
    {
        if (p.TryGetValue("combine", out var combine) && Text(combine) is not ("and" or "or"))
            yield return new("combine", "combine must be \"and\" or \"or\".");
        if (!p.TryGetValue("conditions", out var conditions))
            yield break;
        if (conditions.ValueKind != JsonValueKind.Array || conditions.GetArrayLength() == 0)
        {
            yield return new("conditions", "conditions must be a non-empty array.");
            yield break;
        }
        foreach (var (condition, index) in conditions.EnumerateArray().Select((c, i) => (c, i)))
        {
            if (condition.ValueKind != JsonValueKind.Object || !condition.TryGetProperty("left", out _))
                yield return new("conditions", $"condition {index} needs 'left'.");
            else if (!condition.TryGetProperty("operator", out var op) || !Operators.Contains(Text(op)))
                yield return new("conditions", $"condition {index} needs an operator: {string.Join(", ", Operators)}.");
        }
    }

    private static IEnumerable<ParameterProblem> CheckSwitch(IReadOnlyDictionary<string, JsonElement> p)
    {
        if (!p.TryGetValue("cases", out var cases))
            yield break;
        if (cases.ValueKind != JsonValueKind.Array || cases.EnumerateArray().Any(c => c.ValueKind != JsonValueKind.String || c.GetString() is "" or "default" or "error"))
            yield return new("cases", "cases must be an array of non-empty strings other than 'default' and 'error'.");
        else if (Cases(p).Distinct().Count() != cases.GetArrayLength())
            yield return new("cases", "cases must be distinct.");
    }

    private static IEnumerable<ParameterProblem> CheckHttp(IReadOnlyDictionary<string, JsonElement> p)
    {
        foreach (var problem in CheckString(p, "url"))
            yield return problem;
        if (p.TryGetValue("method", out var method) && !Methods.Contains(Text(method)))
            yield return new("method", $"method must be one of {string.Join(", ", Methods)}.");
        if (p.TryGetValue("headers", out var headers) && headers.ValueKind != JsonValueKind.Object)
            yield return new("headers", "headers must be an object.");
    }

    private static IEnumerable<ParameterProblem> CheckFail(IReadOnlyDictionary<string, JsonElement> p)
    {
        if (p.TryGetValue("retryable", out var retryable) && retryable.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            yield return new("retryable", "retryable must be true or false.");
    }

    private static IEnumerable<ParameterProblem> CheckString(IReadOnlyDictionary<string, JsonElement> p, string name)
    {
        if (p.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.String)
            yield return new(name, $"{name} must be a string.");
    }

    private static IEnumerable<ParameterProblem> CheckDuration(IReadOnlyDictionary<string, JsonElement> p, string name)
    {
        if (p.TryGetValue(name, out var value)
            && !(value.ValueKind == JsonValueKind.String && (value.GetString()!.Contains("{{", StringComparison.Ordinal) || Duration.TryParse(value.GetString(), out _))))
            yield return new(name, $"{name} must be a duration such as \"30s\" or a template.");
    }

    private static string? Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<string> Cases(IReadOnlyDictionary<string, JsonElement> p) =>
        p.TryGetValue("cases", out var cases) && cases.ValueKind == JsonValueKind.Array
            ? cases.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()!)
            : [];
}
