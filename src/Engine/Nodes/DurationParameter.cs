using System.Text.Json;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Nodes;

/// <summary>Reads and checks duration parameters ("2s", "250ms", or milliseconds as a number).</summary>
internal static class DurationParameter
{
    public static TimeSpan? Read(NodeExecutionContext context, string name)
    {
        var value = context.GetParameter(name);
        if (JsonValues.IsNullOrAbsent(value))
            return null;
        return JsonValues.TryGetDuration(value, out var duration)
            ? duration
            : throw NodeExecutionException.Fatal($"Parameter '{name}' is not a duration: use 250ms, 30s, 5m, 2h, 1d or hh:mm:ss.", "invalid-parameters");
    }

    public static TimeSpan Require(NodeExecutionContext context, string name) =>
        Read(context, name) ?? throw NodeExecutionException.Fatal($"Parameter '{name}' is required.", "invalid-parameters");

    public static IEnumerable<ParameterProblem> Validate(IReadOnlyDictionary<string, JsonElement> parameters, string name)
    {
        if (parameters.TryGetValue(name, out var value) && !JsonValues.IsTemplate(value) && !JsonValues.TryGetDuration(value, out _))
            yield return new ParameterProblem(name, "must be a duration such as 250ms, 30s, 5m, 2h or 1d");
    }
}
