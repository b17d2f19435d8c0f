using System.Text.Json;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Bench;

/// <summary>
/// The workloads. Cheap nodes are inline (<c>noop</c>, <c>set</c>) unless the worker-nodes variant
/// is asked for; then they are <c>delay</c> 0ms, which every stock worker runs and which costs a
/// full queue round trip and nothing else; <c>--node-delay</c> makes them last that long, so a
/// worker's slots, not the coordinator, can be the limit (the worker sweep with a 20 ms node).
/// </summary>
internal static class BenchWorkflows
{
    public static readonly string[] Names = ["chain10", "fanout8", "fanout100", "fanout<N> (N up to 10000)", "single", "retry-heavy", "wait", "mixed"];

    private static readonly JsonElement NoInput = JsonSerializer.SerializeToElement(new { });

    public static BenchWorkflow Create(string name, bool workerNodes, string? recorderUrl = null, TimeSpan nodeDelay = default)
    {
        var workflow = Create(name, workerNodes, recorderUrl);
        if (nodeDelay <= TimeSpan.Zero)
            return workflow;
        var duration = JsonSerializer.SerializeToElement($"{nodeDelay.TotalMilliseconds:0}ms");
        var nodes = workflow.Definition.Nodes
            .Select(n => n.Type == "delay" ? n with { Parameters = new Dictionary<string, JsonElement>(n.Parameters) { ["duration"] = duration } } : n)
            .ToList();
        return workflow with { Name = $"{workflow.Name}-delay{nodeDelay.TotalMilliseconds:0}ms", Definition = workflow.Definition with { Nodes = nodes } };
    }

    private static BenchWorkflow Create(string name, bool workerNodes, string? recorderUrl) => name switch
    {
        "chain10" => Chain10(workerNodes),
        "fanout8" => FanOut(8),
        "fanout100" => FanOut(100),
        "single" => new BenchWorkflow(name, Define(name, [WorkerNode("only")], []), NoInput, 1),
        "retry-heavy" => RetryHeavy(),
        "wait" => new BenchWorkflow(name, Define(name, [Node("start", "noop"), Node("hold", "wait", ("duration", "10m"))], [("start", "hold")]), NoInput, 2),
        "mixed" => Mixed(recorderUrl ?? throw new ArgumentException("The mixed workflow needs a recorder URL.")),
        // Any width: the cost per item at 100, 1,000 and 10,000 items shows whether it grows with the fan-out.
        _ when name.StartsWith("fanout", StringComparison.Ordinal) && int.TryParse(name.AsSpan("fanout".Length), out var width) && width is > 0 and <= 10_000
            => FanOut(width),
        _ => throw new ArgumentException($"Unknown workflow '{name}'; use one of {string.Join(", ", Names)}."),
    };

    /// <summary>The workload with <c>settings.maxConcurrentExecutions</c>, named apart so its results are not mistaken for the unlimited run's.</summary>
    public static BenchWorkflow WithExecutionLimit(BenchWorkflow workflow, int? limit) => limit is not { } value
        ? workflow
        : workflow with
        {
            Name = $"{workflow.Name}-limit{value}",
            Definition = workflow.Definition with
            {
                Settings = workflow.Definition.Settings with { MaxConcurrentExecutions = value },
            },
        };

    // A trigger plus ten cheap nodes in a chain.
    private static BenchWorkflow Chain10(bool workerNodes)
    {
        var nodes = new List<NodeDefinition> { Node("trigger", "noop") };
        for (var i = 1; i <= 10; i++)
            nodes.Add(workerNodes ? WorkerNode($"step{i}") : Node($"step{i}", "set", ("values", new { step = i })));
        var connections = Enumerable.Range(1, 10).Select(i => (i == 1 ? "trigger" : $"step{i - 1}", $"step{i}")).ToList();
        return new BenchWorkflow(workerNodes ? "chain10-worker-nodes" : "chain10", Define("chain10", nodes, connections), NoInput, 11);
    }

    private static BenchWorkflow FanOut(int width)
    {
        var items = JsonSerializer.SerializeToElement(new { items = Enumerable.Range(1, width).ToArray() });
        var fan = WorkerNode("each") with { FanOut = new FanOutDefinition { Items = "{{ $input.items }}" } };
        var definition = Define($"fanout{width}", [Node("trigger", "noop"), fan, Node("done", "noop")], [("trigger", "each"), ("each", "done")])
            with { Settings = new WorkflowSettings { MaxParallelNodes = Math.Min(width, 32) } };
        return new BenchWorkflow($"fanout{width}", definition, items, width + 2);
    }

    // Three nodes that each fail twice before they pass: every node costs three attempts and two timers.
    private static BenchWorkflow RetryHeavy()
    {
        var nodes = new List<NodeDefinition> { Node("trigger", "noop") };
        for (var i = 1; i <= 3; i++)
            nodes.Add(Node($"flaky{i}", "fail", ("failTimes", 2), ("retryable", true)) with
            {
                Retry = new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.FromMilliseconds(10), BackoffMultiplier = 1, Jitter = 0 },
            });
        return new BenchWorkflow("retry-heavy", Define("retry-heavy", nodes, [("trigger", "flaky1"), ("flaky1", "flaky2"), ("flaky2", "flaky3")]), NoInput, 4);
    }

    // Every kind of work the chaos run must survive: inline branching, a side effect over http, a
    // fan-out on workers, a retried failure and a join.
    private static BenchWorkflow Mixed(string recorderUrl)
    {
        var input = JsonSerializer.SerializeToElement(new { items = new[] { 1, 2, 3 } });
        var retry = new RetryPolicy { MaxAttempts = 10, InitialDelay = TimeSpan.FromMilliseconds(200), BackoffMultiplier = 2, MaxDelay = TimeSpan.FromSeconds(5), Jitter = 0.2 };
        var nodes = new List<NodeDefinition>
        {
            Node("check", "if", ("conditions", new[] { new { left = "{{ $input.items }}", @operator = "isNotEmpty" } })),
            Node("effect", "http", ("url", recorderUrl), ("method", "POST"), ("body", "{{ $execution.id }}")) with { Retry = retry, Timeout = TimeSpan.FromSeconds(10) },
            WorkerNode("each") with { FanOut = new FanOutDefinition { Items = "{{ $input.items }}" }, Retry = retry },
            Node("flaky", "fail", ("failTimes", 1), ("retryable", true)) with { Retry = retry },
            Node("join", "merge"),
            Node("done", "set", ("values", new { ok = true })),
            Node("skipped", "noop"),
        };
        var definition = new WorkflowDefinition
        {
            Id = "mixed",
            Nodes = nodes,
            Connections =
            [
                Connect("check", "effect", "true"), Connect("check", "each", "true"), Connect("check", "skipped", "false"),
                Connect("effect", "flaky"), Connect("flaky", "join"), Connect("each", "join"), Connect("join", "done"),
            ],
        };
        return new BenchWorkflow("mixed", definition, input, 8);
    }

    private static NodeDefinition WorkerNode(string id) => Node(id, "delay", ("duration", "0ms"));

    private static NodeDefinition Node(string id, string type, params (string Name, object Value)[] parameters) => new()
    {
        Id = id,
        Type = type,
        Parameters = parameters.ToDictionary(p => p.Name, p => JsonSerializer.SerializeToElement(p.Value)),
    };

    private static ConnectionDefinition Connect(string from, string to, string output = OutputPorts.Main) => new() { From = from, To = to, Output = output };

    private static WorkflowDefinition Define(string id, IReadOnlyList<NodeDefinition> nodes, IEnumerable<(string From, string To)> connections) => new()
    {
        Id = id,
        Nodes = nodes,
        Connections = connections.Select(c => Connect(c.From, c.To)).ToList(),
    };
}
