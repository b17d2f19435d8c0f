namespace Workflow.Messaging.Coordinator.Console.Layout;

/// <summary>
/// Orders each layer by the barycenter of its neighbours' positions, sweeping down (by
/// predecessors) and up (by successors) in turn, and keeps the ordering with the fewest crossings
/// seen: a sweep can make things worse before a later one makes them better.
/// </summary>
internal static class CrossingReduction
{
    /// <summary>Reorders <paramref name="graph"/>'s layers; returns the crossings left.</summary>
    public static int Order(LayeredGraph graph, int maxSweeps)
    {
        var best = Snapshot(graph);
        var fewest = Crossings(graph);
        for (var sweep = 0; sweep < maxSweeps && fewest > 0; sweep++)
        {
            if (sweep % 2 == 0)
                for (var layer = 1; layer < graph.Layers.Count; layer++)
                    Reorder(graph, layer, graph.Predecessors);
            else
                for (var layer = graph.Layers.Count - 2; layer >= 0; layer--)
                    Reorder(graph, layer, graph.Successors);
            var crossings = Crossings(graph);
            if (crossings < fewest)
            {
                fewest = crossings;
                best = Snapshot(graph);
            }
        }
        for (var layer = 0; layer < best.Count; layer++)
            graph.Reorder(layer, best[layer]);
        return fewest;
    }

    /// <summary>Edge crossings between every pair of adjacent layers.</summary>
    public static int Crossings(LayeredGraph graph)
    {
        var total = 0;
        for (var layer = 0; layer + 1 < graph.Layers.Count; layer++)
        {
            var ends = graph.Layers[layer]
                .SelectMany(v => graph.Successors[v].Select(w => (Upper: graph.Position[v], Lower: graph.Position[w])))
                .ToList();
            for (var i = 0; i < ends.Count; i++)
                for (var j = i + 1; j < ends.Count; j++)
                    if ((ends[i].Upper - ends[j].Upper) * (ends[i].Lower - ends[j].Lower) < 0)
                        total++;
        }
        return total;
    }

    private static void Reorder(LayeredGraph graph, int layer, List<List<int>> neighbours)
    {
        // A vertex without neighbours on that side keeps its place; ties keep the current order, so sweeps are stable.
        var order = graph.Layers[layer]
            .Select(v => (Vertex: v, Key: neighbours[v].Count == 0 ? graph.Position[v] : neighbours[v].Average(n => graph.Position[n])))
            .OrderBy(x => x.Key)
            .ThenBy(x => graph.Position[x.Vertex])
            .Select(x => x.Vertex)
            .ToList();
        graph.Reorder(layer, order);
    }

    private static List<List<int>> Snapshot(LayeredGraph graph) => graph.Layers.Select(l => l.ToList()).ToList();
}
