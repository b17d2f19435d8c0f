namespace Workflow.Messaging.Coordinator.Console.Layout;

/// <summary>
/// Vertical centres: each layer in its order, with at least a gap between neighbours, as close as
/// possible (least squares) to the mean of the vertices' neighbours in the layer before it (down
/// passes) or after it (up passes). Each pass is an isotonic regression solved by pooling adjacent
/// violators, so edges come out as straight as the order allows.
/// </summary>
internal static class VerticalPlacement
{
    private const int Rounds = 4;

    public static double[] Place(LayeredGraph graph, LayoutOptions options)
    {
        var center = new double[graph.Count];
        foreach (var layer in graph.Layers)
            Fit(graph, layer, options, center, layer.Select(_ => 0.0).ToArray());
        for (var round = 0; round < Rounds; round++)
        {
            for (var layer = 1; layer < graph.Layers.Count; layer++)
                Align(graph, graph.Layers[layer], graph.Predecessors, options, center);
            for (var layer = graph.Layers.Count - 2; layer >= 0; layer--)
                Align(graph, graph.Layers[layer], graph.Successors, options, center);
        }
        return center;
    }

    private static void Align(LayeredGraph graph, List<int> layer, List<List<int>> neighbours, LayoutOptions options, double[] center)
    {
        var desired = layer.Select(v => neighbours[v].Count == 0 ? center[v] : neighbours[v].Average(n => center[n])).ToArray();
        Fit(graph, layer, options, center, desired);
    }

    /// <summary>Centres closest to <paramref name="desired"/> with each at least its separation below the one before.</summary>
    private static void Fit(LayeredGraph graph, List<int> layer, LayoutOptions options, double[] center, double[] desired)
    {
        // With offset[i] the least distance from the first centre, y[i] = z[i] + offset[i] and the
        // gaps hold exactly when z does not decrease: fit a non-decreasing z to desired - offset.
        var offset = new double[layer.Count];
        for (var i = 1; i < layer.Count; i++)
            offset[i] = offset[i - 1] + Separation(graph, layer[i - 1], layer[i], options);
        var blocks = new List<(double Sum, int Count)>();
        for (var i = 0; i < layer.Count; i++)
        {
            blocks.Add((desired[i] - offset[i], 1));
            while (blocks.Count > 1 && Mean(blocks[^2]) > Mean(blocks[^1]))
            {
                var merged = (blocks[^2].Sum + blocks[^1].Sum, blocks[^2].Count + blocks[^1].Count);
                blocks.RemoveRange(blocks.Count - 2, 2);
                blocks.Add(merged);
            }
        }
        var at = 0;
        foreach (var block in blocks)
            for (var k = 0; k < block.Count; k++, at++)
                center[layer[at]] = Mean(block) + offset[at];
    }

    private static double Mean((double Sum, int Count) block) => block.Sum / block.Count;

    private static double Separation(LayeredGraph graph, int upper, int lower, LayoutOptions options)
    {
        var both = graph.IsNode(upper) && graph.IsNode(lower);
        var half = (graph.IsNode(upper) ? options.NodeHeight / 2 : 0) + (graph.IsNode(lower) ? options.NodeHeight / 2 : 0);
        return half + (both ? options.NodeGap : options.BendGap);
    }
}
