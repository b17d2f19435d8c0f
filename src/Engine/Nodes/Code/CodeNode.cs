using System.Text.Json;
using System.Text.RegularExpressions;
using Jint;
using Jint.Runtime;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Nodes.Code;

/// <summary>
/// Runs <c>script</c>, the body of a JavaScript (ES2023) function of <c>input</c> and
/// <c>params</c>, in a Jint sandbox without .NET access; the returned value (as JSON) is the
/// output. Limits break the run, never the process; every failure is fatal, since the same script
/// on the same input fails the same way again.
/// </summary>
public sealed class CodeNode(IOptions<CodeNodeOptions> options, ScriptThreads threads) : INodeExecutor
{
    public NodeTypeDescriptor Descriptor { get; } = new()
    {
        Type = BuiltInNodeTypes.Code,
        RequiredParameters = ["script"],
        ValidateParameters = Validate,
    };

    public async Task<NodeResult> ExecuteAsync(NodeExecutionContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var script = context.GetString("script") ?? throw NodeExecutionException.Fatal("Parameter 'script' is required.", "invalid-parameters");
        var limits = options.Value;
        if (script.Length > limits.MaxScriptLength)
            throw NodeExecutionException.Fatal($"The script is longer than {limits.MaxScriptLength} characters.", "code.too-long");
        var requested = DurationParameter.Read(context, "timeout");
        var timeout = requested is { } t && t < limits.Timeout ? t : limits.Timeout;
        var input = context.Input.GetRawText();
        var parameters = WithoutScript(context.Parameters);

        // The deadline is also a token, so the run stops however it is spent: in statements, inside
        // one built-in call, or waiting for a thread.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var json = await threads.RunAsync($"code-node {context.NodeId}",
                () => ScriptSandbox.Run(script, input, parameters, limits, timeout, deadline.Token), deadline.Token);
            return NodeResult.Main(ScriptSandbox.ToElement(json));
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is ExecutionCanceledException or OperationCanceledException)
        {
            // The attempt itself was cancelled or timed out: the worker classifies that, not us.
            throw new OperationCanceledException("The attempt was cancelled while its script ran.", e, cancellationToken);
        }
        catch (Exception e) when (e is not NodeExecutionException)
        {
            throw Classify(e, limits, timeout);
        }
    }

    private static string WithoutScript(JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Object)
            return "{}";
        var copy = System.Text.Json.Nodes.JsonObject.Create(parameters)!;
        copy.Remove("script");
        return copy.ToJsonString();
    }

    private static NodeExecutionException Classify(Exception e, CodeNodeOptions limits, TimeSpan timeout) => e switch
    {
        // Before TimeoutException, which it derives from.
        RegexMatchTimeoutException =>
            NodeExecutionException.Fatal($"A regular expression ran longer than {limits.RegexTimeout} (catastrophic backtracking?).", "code.regex-timeout", e),
        TimeoutException or ExecutionCanceledException or OperationCanceledException =>
            NodeExecutionException.Fatal($"The script ran longer than its limit of {timeout}.", "code.timeout", e),
        StatementsCountOverflowException =>
            NodeExecutionException.Fatal($"The script executed more than {limits.MaxStatements} statements.", "code.statement-limit", e),
        RecursionDepthOverflowException =>
            NodeExecutionException.Fatal($"The script nested calls deeper than {limits.MaxRecursionDepth}.", "code.recursion-limit", e),
        MemoryLimitExceededException m =>
            NodeExecutionException.Fatal($"The script exceeded its memory limit ({limits.MaxMemoryBytes} bytes allocated, {limits.MaxArrayLength} array elements): {m.Message}", "code.memory-limit", e),
        ScriptPreparationException p =>
            NodeExecutionException.Fatal($"The script does not parse: {(p.InnerException ?? p).Message}", "code.syntax", e),
        JavaScriptException { Message: "Maximum call stack size exceeded" } =>
            NodeExecutionException.Fatal("The script recursed until the stack guard stopped it (Maximum call stack size exceeded).", "code.recursion-limit", e),
        JavaScriptException j =>
            NodeExecutionException.Fatal($"The script threw: {j.Message} (line {j.Location.Start.Line - 1})", "code.error", e),
        _ => NodeExecutionException.Fatal($"The script failed: {e.Message}", "code.error", e),
    };

    private static IEnumerable<ParameterProblem> Validate(IReadOnlyDictionary<string, JsonElement> parameters)
    {
        if (parameters.TryGetValue("script", out var script) && script.ValueKind != JsonValueKind.String)
            yield return new ParameterProblem("script", "must be a string of JavaScript (ES2023)");
        foreach (var problem in DurationParameter.Validate(parameters, "timeout"))
            yield return problem;
    }
}
