using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Engine.Planning;

/// <summary>
/// A validated definition with its edges indexed and its nodes in topological order. Immutable,
/// so one instance is shared by every execution of the same definition.
/// </summary>
public sealed class ExecutionGraph
{
    private static readonly IReadOnlyList<ConnectionDefinition> None = [];
    private readonly Dictionary<string, NodeDefinition> _nodes;
    private readonly Dictionary<string, List<ConnectionDefinition>> _incoming = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ConnectionDefinition>> _outgoing = new(StringComparer.Ordinal);

    public ExecutionGraph(WorkflowDefinition definition)
    {
        Definition = definition;
        _nodes = definition.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        foreach (var connection in definition.Connections)
        {
            Bucket(_outgoing, connection.From).Add(connection);
            Bucket(_incoming, connection.To).Add(connection);
        }
        Order = TopologicalOrder();
        EndNodes = Order.Where(id => Outgoing(id).Count == 0).ToArray();
    }

    public WorkflowDefinition Definition { get; }

    /// <summary>Node ids, every node after all of its upstream nodes.</summary>
    public IReadOnlyList<string> Order { get; }

    /// <summary>Nodes without outgoing connections: their outputs are the execution's outputs.</summary>
    public IReadOnlyList<string> EndNodes { get; }

    public NodeDefinition Node(string id) => _nodes[id];

    public bool Contains(string id) => _nodes.ContainsKey(id);

    public IReadOnlyList<ConnectionDefinition> Incoming(string id) => _incoming.TryGetValue(id, out var list) ? list : None;

    public IReadOnlyList<ConnectionDefinition> Outgoing(string id) => _outgoing.TryGetValue(id, out var list) ? list : None;

    private static List<ConnectionDefinition> Bucket(Dictionary<string, List<ConnectionDefinition>> map, string key) =>
        map.TryGetValue(key, out var list) ? list : map[key] = [];

    // Kahn's algorithm in definition order, so the order (and thus dispatch order) is stable.
    private string[] TopologicalOrder()
    {
        var remaining = Definition.Nodes.ToDictionary(n => n.Id, n => Incoming(n.Id).Count, StringComparer.Ordinal);
        var order = new List<string>(remaining.Count);
        var queue = new Queue<string>(Definition.Nodes.Where(n => remaining[n.Id] == 0).Select(n => n.Id));
        while (queue.Count > 0)
        {
            var id = queue.Dequeue();
            order.Add(id);
            foreach (var edge in Outgoing(id))
                if (--remaining[edge.To] == 0)
                    queue.Enqueue(edge.To);
        }
        return order.Count == remaining.Count
            ? [.. order]
            : throw new InvalidOperationException("The definition has a cycle; validate definitions before planning them.");
    }
}
