using System.Text.Json;
using Jint;
using Jint.Native;
using JintEngine = Jint.Engine;
using JsonParser = Jint.Native.Json.JsonParser;

namespace Workflow.Messaging.Engine.Nodes.Code;

/// <summary>
/// One run of a script in a fresh Jint engine: no .NET access (interop is off by default), and every
/// limit of <see cref="CodeNodeOptions"/> registered as a Jint constraint.
/// </summary>
internal static class ScriptSandbox
{
    /// <summary>Runs the script as the body of a function of <c>input</c> and <c>params</c>; returns its result as JSON text, or null for undefined.</summary>
    public static string? Run(string script, string inputJson, string parametersJson, CodeNodeOptions limits, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var regexTimeout = limits.RegexTimeout < timeout ? limits.RegexTimeout : timeout;
        var engine = new JintEngine(o =>
        {
            o.TimeoutInterval(timeout)
                .CancellationToken(cancellationToken)
                .MaxStatements(limits.MaxStatements)
                .LimitMemory(limits.MaxMemoryBytes)
                .LimitRecursion(limits.MaxRecursionDepth);
            // Off by default in Jint 4.18: without it a recursion through a getter, a setter or a
            // valueOf (which the recursion count does not see) overflows the stack and ends the process.
            o.Constraints.StackOverflowGuard = true;
            o.Constraints.MaxArraySize = limits.MaxArrayLength;
            o.Constraints.RegexTimeout = regexTimeout;
        });

        // Parsed here, outside the script's budget: the input is the workflow's data, not the script's allocation.
        var parser = new JsonParser(engine);
        var input = parser.Parse(inputJson);
        var parameters = parser.Parse(parametersJson);
        // Taken before the script runs, so a script that replaces JSON.stringify cannot shape its own output.
        var stringify = engine.Evaluate("JSON.stringify");

        // The body goes inside a function so scripts can 'return'; the newline keeps a trailing
        // line comment in the script from swallowing the closing brace.
        var prepared = JintEngine.PrepareScript("var __node = function (input, params) {\n" + script + "\n};", options: new ScriptPreparationOptions
        {
            // Interpreted, and bounded explicitly: a one-shot script gains nothing from compiling its
            // patterns, and a compiled pattern's first match costs seconds of code generation.
            ParsingOptions = new ScriptParsingOptions { CompileRegex = false, RegexTimeout = regexTimeout },
        });
        engine.Execute(prepared);
        var result = engine.Invoke(engine.GetValue("__node"), input, parameters);
        // Serialized inside the engine, under the same limits: a getter on the result still runs as script.
        var json = engine.Invoke(stringify, result);
        return json.IsString() ? json.AsString() : null;
    }

    public static JsonElement ToElement(string? json) =>
        json is null ? JsonValues.Null : JsonDocument.Parse(json).RootElement.Clone();
}
