using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Engine.Validation;

/// <summary>
/// The definition as a graph over node positions. Only connections whose both ends resolve,
/// that are not self-loops and not repeats become edges, so each graph rule sees a clean graph
/// and the connection rules report the rest once.
/// </summary>
internal sealed class DefinitionGraph
{
    private DefinitionGraph(WorkflowDefinition definition)
    {
        Definition = definition;
        Nodes = definition.Nodes ?? [];
        Connections = definition.Connections ?? [];
        Outgoing = new List<Edge>[Nodes.Count];
        Incoming = new List<Edge>[Nodes.Count];
        for (var i = 0; i < Nodes.Count; i++)
        {
            Outgoing[i] = [];
            Incoming[i] = [];
        }
    }

    public WorkflowDefinition Definition { get; }
    public IReadOnlyList<NodeDefinition?> Nodes { get; }
    public IReadOnlyList<ConnectionDefinition?> Connections { get; }

    /// <summary>First position of each id; a repeated id resolves to its first node.</summary>
    public Dictionary<string, int> IndexById { get; } = new(StringComparer.Ordinal);

    public List<Edge>[] Outgoing { get; }
    public List<Edge>[] Incoming { get; }

    /// <summary>Positions of connections that repeat an earlier (from, output, to).</summary>
    public HashSet<int> RepeatedConnections { get; } = [];

    public static DefinitionGraph Build(WorkflowDefinition definition)
    {
        var graph = new DefinitionGraph(definition);
        for (var i = 0; i < graph.Nodes.Count; i++)
        {
            if (graph.Nodes[i]?.Id is { Length: > 0 } id)
                graph.IndexById.TryAdd(id, i);
        }

        var seen = new HashSet<(string, string?, string)>();
        for (var c = 0; c < graph.Connections.Count; c++)
        {
            if (graph.Connections[c] is not { } connection || connection.From is null || connection.To is null)
                continue;
            if (!seen.Add((connection.From, connection.Output, connection.To)))
            {
                graph.RepeatedConnections.Add(c);
                continue;
            }
            if (graph.IndexById.TryGetValue(connection.From, out var from)
                && graph.IndexById.TryGetValue(connection.To, out var to)
                && from != to)
            {
                var edge = new Edge(c, from, to);
                graph.Outgoing[from].Add(edge);
                graph.Incoming[to].Add(edge);
            }
        }
        return graph;
    }

    public string NodeId(int index) => Nodes[index]?.Id ?? $"#{index}";

    /// <summary>Every node from which <paramref name="index"/> can be reached.</summary>
    public HashSet<int> Ancestors(int index)
    {
        var found = new HashSet<int>();
        var pending = new Stack<int>();
        pending.Push(index);
        while (pending.Count > 0)
        {
            foreach (var edge in Incoming[pending.Pop()])
            {
                if (found.Add(edge.From))
                    pending.Push(edge.From);
            }
        }
        return found;
    }
}

/// <param name="Connection">Position in <c>$.connections</c>.</param>
internal readonly record struct Edge(int Connection, int From, int To);
