namespace Workflow.Messaging.Coordinator.Console.Layout;

/// <summary>
/// The graph the ordering works on: the real nodes (vertices 0..n-1) plus one bend vertex per layer
/// a long edge crosses, so every edge joins adjacent layers. <see cref="Layers"/> holds each layer's
/// vertices in their current order and <see cref="Position"/> each vertex's index within its layer.
/// </summary>
internal sealed class LayeredGraph
{
    private readonly int _nodeCount;

    public LayeredGraph(IReadOnlyList<int> nodeLayers)
    {
        _nodeCount = nodeLayers.Count;
        foreach (var layer in nodeLayers)
            Add(layer);
    }

    public List<int> Layer { get; } = [];
    public List<int> Position { get; } = [];
    public List<List<int>> Successors { get; } = [];
    public List<List<int>> Predecessors { get; } = [];
    public List<List<int>> Layers { get; } = [];

    public int Count => Layer.Count;

    public bool IsNode(int vertex) => vertex < _nodeCount;

    /// <summary>Joins two nodes through bend vertices; returns the chain from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public List<int> Connect(int from, int to)
    {
        var chain = new List<int> { from };
        var previous = from;
        for (var layer = Layer[from] + 1; layer < Layer[to]; layer++)
        {
            var bend = Add(layer);
            Link(previous, bend);
            chain.Add(bend);
            previous = bend;
        }
        Link(previous, to);
        chain.Add(to);
        return chain;
    }

    public void Reorder(int layer, IEnumerable<int> order)
    {
        var vertices = Layers[layer];
        var ordered = order.ToList();
        vertices.Clear();
        vertices.AddRange(ordered);
        for (var i = 0; i < vertices.Count; i++)
            Position[vertices[i]] = i;
    }

    private int Add(int layer)
    {
        var vertex = Layer.Count;
        Layer.Add(layer);
        Successors.Add([]);
        Predecessors.Add([]);
        while (Layers.Count <= layer)
            Layers.Add([]);
        Position.Add(Layers[layer].Count);
        Layers[layer].Add(vertex);
        return vertex;
    }

    private void Link(int from, int to)
    {
        Successors[from].Add(to);
        Predecessors[to].Add(from);
    }
}
