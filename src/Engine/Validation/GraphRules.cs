using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Engine.Validation;

/// <summary>Whole-graph rules: acyclic, one or more start nodes, everything reachable, sound joins.</summary>
internal static class GraphRules
{
    public static void Check(DefinitionGraph graph, ProblemCollector problems)
    {
        foreach (var component in StronglyConnectedComponents.Find(graph).Where(c => c.Count > 1))
            ReportCycle(graph, component, problems);
        CheckReachability(graph, problems);
        CheckJoins(graph, problems);
    }

    private static void ReportCycle(DefinitionGraph graph, IReadOnlyCollection<int> component, ProblemCollector problems)
    {
        var members = component.ToHashSet();
        var start = component.Min();
        var cycle = ShortestCycleThrough(graph, start, members);
        var names = string.Join(" -> ", cycle.Select(e => graph.NodeId(e.From)).Append(graph.NodeId(start)));
        problems.Add(DefinitionPath.Connection(cycle[0].Connection), DefinitionProblemCodes.Cycle,
            $"The connections form a cycle: {names}; a workflow must be acyclic.");
    }

    /// <summary>Breadth-first from <paramref name="start"/> inside its component, so the named cycle is a short one.</summary>
    private static List<Edge> ShortestCycleThrough(DefinitionGraph graph, int start, HashSet<int> members)
    {
        var reachedBy = new Dictionary<int, Edge>();
        var pending = new Queue<int>();
        pending.Enqueue(start);
        while (pending.Count > 0)
        {
            var node = pending.Dequeue();
            foreach (var edge in graph.Outgoing[node].Where(e => members.Contains(e.To)))
            {
                if (edge.To == start)
                {
                    var path = new List<Edge> { edge };
                    for (var at = node; at != start; at = reachedBy[at].From)
                        path.Add(reachedBy[at]);
                    path.Reverse();
                    return path;
                }
                if (reachedBy.TryAdd(edge.To, edge))
                    pending.Enqueue(edge.To);
            }
        }
        throw new InvalidOperationException("A strongly connected component of several nodes always has a cycle through each member.");
    }

    private static void CheckReachability(DefinitionGraph graph, ProblemCollector problems)
    {
        var present = Enumerable.Range(0, graph.Nodes.Count).Where(i => graph.Nodes[i] is not null).ToList();
        var starts = present.Where(i => graph.Incoming[i].Count == 0).ToList();
        if (present.Count > 0 && starts.Count == 0)
        {
            problems.Add("$.nodes", DefinitionProblemCodes.NoStartNode,
                "Every node has an incoming connection, so no node can start the workflow.");
            return;
        }
        var reached = new HashSet<int>(starts);
        var pending = new Stack<int>(starts);
        while (pending.Count > 0)
        {
            foreach (var edge in graph.Outgoing[pending.Pop()])
            {
                if (reached.Add(edge.To))
                    pending.Push(edge.To);
            }
        }
        foreach (var i in present.Where(i => !reached.Contains(i)))
            problems.Add(DefinitionPath.Node(i), DefinitionProblemCodes.UnreachableNode,
                $"Node '{graph.NodeId(i)}' cannot be reached from any start node (a node without incoming connections).");
    }

    private static void CheckJoins(DefinitionGraph graph, ProblemCollector problems)
    {
        for (var i = 0; i < graph.Nodes.Count; i++)
        {
            if (graph.Nodes[i]?.Join is not { Mode: JoinMode.NOfM } join)
                continue;
            var incoming = graph.Incoming[i].Count;
            if (incoming < 2)
                problems.Add(DefinitionPath.Node(i, "join.mode"), DefinitionProblemCodes.JoinNeedsSeveralInputs,
                    $"Join mode nOfM needs two or more incoming connections; node '{graph.NodeId(i)}' has {incoming}.");
            else if (join.Count is not { } count)
                problems.Add(DefinitionPath.Node(i, "join.count"), DefinitionProblemCodes.InvalidJoin,
                    $"Join mode nOfM needs a count between 1 and {incoming}.");
            else if (count < 1 || count > incoming)
                problems.Add(DefinitionPath.Node(i, "join.count"), DefinitionProblemCodes.InvalidJoin,
                    $"Join count must be between 1 and the {incoming} incoming connections, not {count}.");
        }
    }
}
