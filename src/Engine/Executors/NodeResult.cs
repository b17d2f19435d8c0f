using System.Text.Json;

namespace Workflow.Messaging.Engine.Executors;

/// <summary>The output of a successful attempt and the ports it takes.</summary>
public sealed record NodeResult(JsonElement Output, IReadOnlyList<string> Ports)
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>Output on the <c>main</c> port.</summary>
    public static NodeResult Main(JsonElement output) => new(output, ["main"]);

    /// <summary>Output on a named port (if/switch branches, approval decisions).</summary>
    public static NodeResult On(string port, JsonElement output) => new(output, [port]);

    /// <summary>An empty object on <c>main</c>.</summary>
    public static NodeResult Empty() => Main(EmptyObject);

    /// <summary>Serializes any value as the output on <c>main</c>.</summary>
    public static NodeResult From<T>(T value) => Main(JsonSerializer.SerializeToElement(value, Contracts.WorkflowJson.Options));
}
