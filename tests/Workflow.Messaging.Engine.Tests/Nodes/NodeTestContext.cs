using System.Text.Json;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Tests.Nodes;

internal static class NodeTestContext
{
    public static NodeExecutionContext Create(string type, string parameters = "{}", string input = "{}", int attempt = 1, IServiceProvider? services = null) => new()
    {
        ExecutionId = Guid.NewGuid(),
        WorkflowId = "wf",
        NodeId = "n1",
        NodeType = type,
        Attempt = attempt,
        Parameters = Json(parameters),
        Input = Json(input),
        IdempotencyKey = $"key-{attempt}",
        Services = services ?? EmptyServices.Instance,
    };

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    public static IReadOnlyDictionary<string, JsonElement> Parameters(string json) =>
        Json(json).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();
        public object? GetService(Type serviceType) => null;
    }
}
