using System.Text.Json;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Nodes;

/// <summary>
/// Fails on purpose: with <c>failTimes</c> only the first N attempts fail and later ones pass the
/// input on, which is how retry paths are exercised end to end.
/// </summary>
public sealed class FailNode : INodeExecutor
{
    public NodeTypeDescriptor Descriptor { get; } = new()
    {
        Type = BuiltInNodeTypes.Fail,
        ValidateParameters = Validate,
    };

    public Task<NodeResult> ExecuteAsync(NodeExecutionContext context, CancellationToken cancellationToken)
    {
        var failTimes = context.GetParameter("failTimes") is { } times && JsonValues.TryGetNumber(times, out var n) ? (int?)n : null;
        if (failTimes is { } limit && context.Attempt > limit)
            return Task.FromResult(NodeResult.Main(context.Input));

        var message = context.GetString("message") ?? $"Node '{context.NodeId}' failed on purpose.";
        var retryable = JsonValues.ToBoolean(context.GetParameter("retryable")) ?? false;
        throw retryable ? NodeExecutionException.Retryable(message, "fail") : NodeExecutionException.Fatal(message, "fail");
    }

    private static IEnumerable<ParameterProblem> Validate(IReadOnlyDictionary<string, JsonElement> parameters)
    {
        if (parameters.TryGetValue("failTimes", out var times) && !JsonValues.IsTemplate(times)
            && (!JsonValues.TryGetNumber(times, out var n) || n < 0 || n != Math.Floor(n)))
            yield return new ParameterProblem("failTimes", "must be a whole number, 0 or more");
        if (parameters.TryGetValue("retryable", out var retryable) && !JsonValues.IsTemplate(retryable) && JsonValues.ToBoolean(retryable) is null)
            yield return new ParameterProblem("retryable", "must be true or false");
    }
}
