using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Planning;

namespace Workflow.Messaging.Engine.Tests.Planning;

/// <summary>Builds small graphs tersely and drives the planner like the saga does.</summary>
internal sealed class PlannerHarness
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly Func<string, int> _countItems;

    public PlannerHarness(WorkflowDefinition definition, Func<string, int>? countItems = null)
    {
        _countItems = countItems ?? (_ => 0);
        Planner = new ExecutionPlanner(new ExecutionGraph(definition), new PlannerContext
        {
            PlacementOf = type => type switch
            {
                "wait" => NodePlacement.Timer,
                "approval" => NodePlacement.Approval,
                _ => NodePlacement.Worker,
            },
            Random = () => 0.5, // no jitter: delays are exact
        });
    }

    public ExecutionPlanner Planner { get; }
    public ExecutionRuntime Runtime { get; } = new();
    public DateTime Now { get; set; } = T0;

    public NodeStatus this[string id] => Runtime[id].Status;

    public PlanStep Start() => Expand(Planner.Start(Runtime, Now));

    public PlanStep Succeed(string id, int attempt = 1, int? item = null, params string[] ports) =>
        Succeed(new InstanceRef(id, item, attempt), ports.Length == 0 ? [OutputPorts.Main] : ports);

    public PlanStep Succeed(InstanceRef instance, IReadOnlyList<string> ports, bool dispatch = true) =>
        Expand(Planner.Succeeded(Runtime, instance, ports, "w1", Now, dispatch));

    public PlanStep Fail(string id, int attempt = 1, int? item = null, bool retryable = true) =>
        Expand(Planner.Failed(Runtime, new InstanceRef(id, item, attempt),
            new NodeError { Kind = retryable ? NodeErrorKind.Retryable : NodeErrorKind.Fatal, Message = $"{id} broke" }, "w1", Now));

    public PlanStep RetryDue(string id, int attempt, int? item = null) =>
        Expand(Planner.RetryDue(Runtime, new InstanceRef(id, item, attempt), Now));

    // Does what the coordinator does with FanOutsToExpand, folding the follow-up steps into one.
    private PlanStep Expand(PlanStep step)
    {
        for (var i = 0; i < step.FanOutsToExpand.Count; i++)
        {
            var next = Planner.ExpandFanOut(Runtime, step.FanOutsToExpand[i], _countItems(step.FanOutsToExpand[i]), error: null, Now);
            step.Transitions.AddRange(next.Transitions);
            step.Dispatches.AddRange(next.Dispatches);
            step.CompletedFanOuts.AddRange(next.CompletedFanOuts);
            step.FanOutsToExpand.AddRange(next.FanOutsToExpand);
            step.Outcome ??= next.Outcome;
        }
        return step;
    }

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
