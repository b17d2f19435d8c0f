using System.Text.Json;
using JintEngine = Jint.Engine;
using Jint.Native;
using JsonParser = Jint.Native.Json.JsonParser;
using Jint.Parser;
using Jint.Runtime;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Nodes;

/// <summary>
/// Runs <c>script</c>, the body of an ES5.1 function of <c>input</c> and <c>params</c>, in a Jint
/// sandbox without .NET access; the returned value (as JSON) is the output. Every failure is
/// fatal: the same script on the same input fails the same way again.
/// </summary>
public sealed class CodeNode(IOptions<CodeNodeOptions> options) : INodeExecutor
{
    // Jint 2 needs deep native stacks per JavaScript call; a thread of our own makes the recursion
    // limit, not the host thread's stack size, the thing that stops a runaway script.
    private const int ScriptThreadStackSize = 16 * 1024 * 1024;

    public NodeTypeDescriptor Descriptor { get; } = new()
    {
        Type = BuiltInNodeTypes.Code,
        RequiredParameters = ["script"],
        ValidateParameters = Validate,
    };

    public Task<NodeResult> ExecuteAsync(NodeExecutionContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var script = context.GetString("script") ?? throw NodeExecutionException.Fatal("Parameter 'script' is required.", "invalid-parameters");
        var limits = options.Value;
        if (script.Length > limits.MaxScriptLength)
            throw NodeExecutionException.Fatal($"The script is longer than {limits.MaxScriptLength} characters.", "code.too-long");
        var requested = DurationParameter.Read(context, "timeout");
        var timeout = requested is { } t && t < limits.Timeout ? t : limits.Timeout;

        var completion = new TaskCompletionSource<NodeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                completion.SetResult(NodeResult.Main(Run(script, context, limits, timeout)));
            }
            catch (Exception e)
            {
                completion.SetException(Classify(e, limits, timeout));
            }
        }, ScriptThreadStackSize) { IsBackground = true, Name = $"code-node {context.NodeId}" };
        thread.Start();
        return completion.Task;
    }

    private static JsonElement Run(string script, NodeExecutionContext context, CodeNodeOptions limits, TimeSpan timeout)
    {
        var engine = new JintEngine(o => o
            .TimeoutInterval(timeout)
            .MaxStatements(limits.MaxStatements)
            .LimitRecursion(limits.MaxRecursionDepth));
        var parser = new JsonParser(engine);
        var input = parser.Parse(context.Input.GetRawText());
        var parameters = parser.Parse(WithoutScript(context.Parameters));

        // The body goes inside a function so scripts can 'return'; the newline keeps a trailing
        // line comment in the script from swallowing the closing brace.
        engine.Execute("var __node = function (input, params) {\n" + script + "\n};");
        var result = engine.GetValue("__node").Invoke(input, parameters);
        var json = new Jint.Native.Json.JsonSerializer(engine).Serialize(result, JsValue.Undefined, JsValue.Undefined);
        return json.IsString() ? JsonDocument.Parse(json.AsString()).RootElement.Clone() : JsonValues.Null;
    }

    private static string WithoutScript(JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Object)
            return "{}";
        var copy = System.Text.Json.Nodes.JsonObject.Create(parameters)!;
        copy.Remove("script");
        return copy.ToJsonString();
    }

    private static Exception Classify(Exception e, CodeNodeOptions limits, TimeSpan timeout) => e switch
    {
        TimeoutException => NodeExecutionException.Fatal($"The script ran longer than {timeout}.", "code.timeout", e),
        StatementsCountOverflowException => NodeExecutionException.Fatal($"The script executed more than {limits.MaxStatements} statements.", "code.statement-limit", e),
        RecursionDepthOverflowException => NodeExecutionException.Fatal($"The script nested calls deeper than {limits.MaxRecursionDepth}.", "code.recursion-limit", e),
        ParserException p => NodeExecutionException.Fatal($"The script does not parse: {p.Message}", "code.syntax", e),
        JavaScriptException j => NodeExecutionException.Fatal($"The script threw: {j.Message} (line {j.LineNumber})", "code.error", e),
        _ => NodeExecutionException.Fatal($"The script failed: {e.Message}", "code.error", e),
    };

    private static IEnumerable<ParameterProblem> Validate(IReadOnlyDictionary<string, JsonElement> parameters)
    {
        if (parameters.TryGetValue("script", out var script) && script.ValueKind != JsonValueKind.String)
            yield return new ParameterProblem("script", "must be a string of JavaScript (ES5.1)");
        foreach (var problem in DurationParameter.Validate(parameters, "timeout"))
            yield return problem;
    }
}
