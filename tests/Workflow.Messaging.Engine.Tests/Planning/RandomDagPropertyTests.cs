using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Planning;

namespace Workflow.Messaging.Engine.Tests.Planning;

/// <summary>
/// Property-style: random DAGs with random joins, branches, fan-outs, failures and retries,
/// driven to the end by random result orders. Seeds are fixed so a failure reproduces.
/// </summary>
public class RandomDagPropertyTests
{
    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_node_ends_in_exactly_one_terminal_state_and_none_runs_before_its_join(int seed)
    {
        var random = new Random(seed);
        var definition = RandomDefinition(random);
        var items = definition.Nodes.ToDictionary(n => n.Id, _ => random.Next(0, 4));
        var h = new PlannerHarness(definition, id => items[id]);
        var graph = h.Planner.Graph;
        var inFlight = new List<InstanceRef>();
        var dispatchCounts = new Dictionary<(string, int?), int>();
        var finalStatus = new Dictionary<string, NodeStatus>();

        void Absorb(PlanStep step)
        {
            foreach (var dispatch in step.Dispatches)
            {
                AssertJoinSatisfied(graph, h.Runtime, dispatch.NodeId);
                var key = (dispatch.NodeId, dispatch.ItemIndex);
                dispatchCounts[key] = dispatchCounts.GetValueOrDefault(key) + 1;
                inFlight.Add(dispatch);
            }
            foreach (var retry in step.Retries)
                inFlight.Add(new InstanceRef("retry:" + retry.NodeId, retry.ItemIndex, retry.Attempt));
            foreach (var t in step.Transitions.Where(t => t.ItemIndex is null && t.Status.IsTerminal()))
            {
                finalStatus.Should().NotContainKey(t.NodeId, $"node {t.NodeId} may end only once (seed {seed})");
                finalStatus[t.NodeId] = t.Status;
            }
        }

        var start = h.Start();
        Absorb(start);
        var outcome = start.Outcome;
        for (var guard = 0; guard < 10_000 && outcome is null; guard++)
        {
            inFlight.Should().NotBeEmpty($"an unfinished execution must have something in flight (seed {seed})");
            var next = inFlight[random.Next(inFlight.Count)];
            inFlight.Remove(next);
            PlanStep step;
            if (next.NodeId.StartsWith("retry:", StringComparison.Ordinal))
            {
                step = h.RetryDue(next.NodeId[6..], next.Attempt, next.ItemIndex);
            }
            else
            {
                var roll = random.NextDouble();
                var ports = graph.Node(next.NodeId).Type == "branch" ? new[] { random.Next(2) == 0 ? "true" : "false" } : [OutputPorts.Main];
                step = roll < 0.75
                    ? h.Succeed(next, ports)
                    : h.Fail(next.NodeId, next.Attempt, next.ItemIndex, retryable: roll < 0.95);
                if (random.NextDouble() < 0.1) // duplicate delivery of the same result
                    h.Planner.Succeeded(h.Runtime, next, ports, "w", h.Now).Accepted.Should().BeFalse();
            }
            Absorb(step);
            outcome = step.Outcome;
        }

        outcome.Should().NotBeNull($"the execution must end (seed {seed})");
        h.Runtime.Nodes.Values.Should().OnlyContain(n => n.IsTerminal, $"seed {seed}");
        h.Runtime.Nodes.Keys.Should().BeEquivalentTo(finalStatus.Keys, $"every node reports its end exactly once (seed {seed})");
        foreach (var ((node, _), count) in dispatchCounts)
            count.Should().BeLessThanOrEqualTo(graph.Node(node).Retry?.MaxAttempts ?? 1, $"node {node} ran more attempts than allowed (seed {seed})");
        if (outcome!.Status == ExecutionStatus.Succeeded)
            h.Runtime.Nodes.Values.Should().NotContain(n => n.Status == NodeStatus.Cancelled);
    }

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 300; seed++)
            data.Add(seed);
        return data;
    }

    private static void AssertJoinSatisfied(ExecutionGraph graph, ExecutionRuntime runtime, string id)
    {
        var incoming = graph.Incoming(id);
        var delivered = incoming.Count(e => runtime[e.From].IsTerminal && runtime[e.From].Ports!.Contains(e.Output));
        var join = graph.Node(id).Join ?? new JoinPolicy();
        switch (join.Mode)
        {
            case JoinMode.All:
                incoming.All(e => runtime[e.From].IsTerminal).Should().BeTrue($"{id} ran before all its inputs resolved");
                if (incoming.Count > 0)
                    delivered.Should().BeGreaterThan(0);
                break;
            case JoinMode.Any:
                delivered.Should().BeGreaterThanOrEqualTo(1);
                break;
            case JoinMode.NOfM:
                delivered.Should().BeGreaterThanOrEqualTo(join.Count!.Value);
                break;
        }
    }

    private static WorkflowDefinition RandomDefinition(Random random)
    {
        var count = random.Next(2, 14);
        var nodes = new List<NodeDefinition>();
        var edges = new List<ConnectionDefinition>();
        for (var i = 0; i < count; i++)
        {
            var id = $"n{i}";
            var type = random.Next(4) == 0 ? "branch" : "task";
            // Edges only from lower to higher index: acyclic by construction.
            var sources = Enumerable.Range(0, i).Where(_ => random.NextDouble() < 0.3).ToList();
            if (i > 0 && sources.Count == 0 && random.Next(3) > 0)
                sources.Add(random.Next(i));
            foreach (var s in sources)
            {
                var from = nodes[s];
                var port = from.Type == "branch" ? (random.Next(2) == 0 ? "true" : "false")
                    : from.OnError == ErrorStrategy.ContinueErrorOutput && random.Next(2) == 0 ? OutputPorts.Error : OutputPorts.Main;
                edges.Add(new ConnectionDefinition { From = from.Id, Output = port, To = id });
            }
            var join = sources.Count < 2 ? null : random.Next(3) switch
            {
                0 => new JoinPolicy { Mode = JoinMode.Any },
                1 => new JoinPolicy { Mode = JoinMode.NOfM, Count = random.Next(1, sources.Count + 1) },
                _ => null,
            };
            nodes.Add(new NodeDefinition
            {
                Id = id,
                Type = type,
                Join = join,
                OnError = (ErrorStrategy)random.Next(3),
                Retry = random.Next(2) == 0 ? new RetryPolicy { MaxAttempts = random.Next(1, 4) } : null,
                FanOut = type == "task" && random.Next(5) == 0 ? new FanOutDefinition { Items = "{{ $input }}" } : null,
            });
        }
        return new WorkflowDefinition
        {
            Id = "random",
            Nodes = nodes,
            Connections = edges.DistinctBy(e => (e.From, e.Output, e.To)).ToList(),
            Settings = new WorkflowSettings { MaxParallelNodes = random.Next(1, 6) },
        };
    }
}
