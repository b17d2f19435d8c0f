namespace Workflow.Messaging.Coordinator.Console.Layout;

/// <summary>
/// Lays a workflow graph out left to right in the layered (Sugiyama) way: cycles broken (only an
/// invalid definition has one), layers by longest path from the start nodes, a bend point per
/// layer a long edge crosses, orders within layers from barycenter sweeps that keep the ordering
/// with the fewest crossings, then vertical positions pulled toward the neighbours (the least-squares
/// placement that keeps the order and the gaps). Pure: the same source always gives the same drawing.
/// </summary>
public static class LayeredLayout
{
    public static GraphLayout Compute(GraphSource source, LayoutOptions? options = null)
    {
        options ??= LayoutOptions.Default;
        var nodes = new List<GraphNode>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in source.Nodes)
            if (index.TryAdd(node.Id, nodes.Count))
                nodes.Add(node);
        // Connections to unknown nodes and self-loops are definition problems, reported elsewhere; they have no place in a drawing.
        var edges = source.Edges.Where(e => index.ContainsKey(e.From) && index.ContainsKey(e.To) && e.From != e.To).ToList();
        if (nodes.Count == 0)
            return new GraphLayout([], [], 2 * options.Margin, 2 * options.Margin, 0);

        var pairs = edges.Select(e => (From: index[e.From], To: index[e.To])).ToList();
        var reversed = CycleBreaking.BackEdges(nodes.Count, pairs);
        var directed = pairs.Select((p, i) => reversed[i] ? (p.To, p.From) : p).ToList();
        var layerOf = LongestPathLayers(nodes.Count, directed);

        var graph = new LayeredGraph(layerOf);
        var chains = directed.Select(p => graph.Connect(p.Item1, p.Item2)).ToList();
        var crossings = CrossingReduction.Order(graph, options.MaxSweeps);
        var centers = VerticalPlacement.Place(graph, options);

        double top = double.MaxValue, bottom = double.MinValue;
        for (var v = 0; v < graph.Count; v++)
        {
            var half = graph.IsNode(v) ? options.NodeHeight / 2 : 0;
            top = Math.Min(top, centers[v] - half);
            bottom = Math.Max(bottom, centers[v] + half);
        }
        var shift = options.Margin - top;
        double X(int layer) => options.Margin + layer * (options.NodeWidth + options.LayerGap);
        double Y(int v) => centers[v] + shift;

        var laidOut = nodes.Select((node, v) => new LaidOutNode(node, X(graph.Layer[v]), Y(v) - options.NodeHeight / 2,
            options.NodeWidth, options.NodeHeight, graph.Layer[v], graph.Position[v])).ToList();
        var laidOutEdges = edges.Select((edge, i) =>
        {
            var chain = chains[i];
            var points = new List<(double X, double Y)> { (X(graph.Layer[chain[0]]) + options.NodeWidth, Y(chain[0])) };
            foreach (var bend in chain.Skip(1).SkipLast(1))
            {
                // A long edge passes a layer straight through the column a node would take.
                points.Add((X(graph.Layer[bend]), Y(bend)));
                points.Add((X(graph.Layer[bend]) + options.NodeWidth, Y(bend)));
            }
            points.Add((X(graph.Layer[chain[^1]]), Y(chain[^1])));
            if (reversed[i])
                points.Reverse();
            return new LaidOutEdge(edge, points, reversed[i]);
        }).ToList();

        var layers = graph.Layers.Count;
        return new GraphLayout(laidOut, laidOutEdges,
            2 * options.Margin + layers * options.NodeWidth + (layers - 1) * options.LayerGap,
            bottom - top + 2 * options.Margin, crossings);
    }

    /// <summary>A node's layer is the length of the longest path that reaches it: every edge points at least one layer right.</summary>
    private static int[] LongestPathLayers(int count, IReadOnlyList<(int From, int To)> edges)
    {
        var layer = new int[count];
        var incoming = new int[count];
        var outgoing = Enumerable.Range(0, count).Select(_ => new List<int>()).ToArray();
        foreach (var (from, to) in edges)
        {
            outgoing[from].Add(to);
            incoming[to]++;
        }
        var ready = new Queue<int>(Enumerable.Range(0, count).Where(v => incoming[v] == 0));
        while (ready.Count > 0)
        {
            var v = ready.Dequeue();
            foreach (var next in outgoing[v])
            {
                layer[next] = Math.Max(layer[next], layer[v] + 1);
                if (--incoming[next] == 0)
                    ready.Enqueue(next);
            }
        }
        return layer;
    }
}
