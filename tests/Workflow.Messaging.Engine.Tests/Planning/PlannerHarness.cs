using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Planning;

namespace Workflow.Messaging.Engine.Tests.Planning;

/// <summary>Builds small graphs tersely and drives the planner like the saga does.</summary>
internal sealed class PlannerHarness
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public PlannerHarness(WorkflowDefinition definition, Func<string, int>? countItems = null)
    {
        Planner = new ExecutionPlanner(new ExecutionGraph(definition), new PlannerContext
        {
            PlacementOf = type => type switch
            {
                "wait" => NodePlacement.Timer,
                "approval" => NodePlacement.Approval,
                _ => NodePlacement.Worker,
            },
            CountItems = countItems ?? (_ => 0),
            Random = () => 0.5, // no jitter: delays are exact
        });
    }

    public ExecutionPlanner Planner { get; }
    public ExecutionRuntime Runtime { get; } = new();
    public DateTime Now { get; set; } = T0;

    public NodeStatus this[string id] => Runtime[id].Status;

    public PlanStep Start() => Planner.Start(Runtime, Now);

    public PlanStep Succeed(string id, int attempt = 1, int? item = null, params string[] ports) =>
        Planner.Succeeded(Runtime, new InstanceRef(id, item, attempt), ports.Length == 0 ? [OutputPorts.Main] : ports, "w1", Now);

    public PlanStep Fail(string id, int attempt = 1, int? item = null, bool retryable = true) =>
        Planner.Failed(Runtime, new InstanceRef(id, item, attempt),
            new NodeError { Kind = retryable ? NodeErrorKind.Retryable : NodeErrorKind.Fatal, Message = $"{id} broke" }, "w1", Now);

    public static WorkflowDefinition Define(string[] nodes, string[] edges, Func<NodeDefinition, NodeDefinition>? shape = null, int maxParallel = 16) => new()
    {
        Id = "test",
        Nodes = nodes.Select(spec =>
        {
            var parts = spec.Split(':');
            var node = new NodeDefinition { Id = parts[0], Type = parts.Length > 1 ? parts[1] : "task" };
            return shape?.Invoke(node) ?? node;
        }).ToList(),
        // "a->b" or "a.port->b"
        Connections = edges.Select(edge =>
        {
            var (from, to) = (edge.Split("->")[0], edge.Split("->")[1]);
            var port = from.Contains('.') ? from.Split('.')[1] : OutputPorts.Main;
            return new ConnectionDefinition { From = from.Split('.')[0], Output = port, To = to };
        }).ToList(),
        Settings = new WorkflowSettings { MaxParallelNodes = maxParallel },
    };
}

internal static class PlanStepExtensions
{
    public static IEnumerable<string> Dispatched(this PlanStep step) => step.Dispatches.Select(d => d.NodeId);
}
