namespace Workflow.Messaging.Coordinator.Console.Layout;

/// <summary>A node's box: top-left corner and size, its layer (column) and its order within the layer.</summary>
public sealed record LaidOutNode(GraphNode Node, double X, double Y, double Width, double Height, int Layer, int Order)
{
    public string Id => Node.Id;
    public double CenterY => Y + Height / 2;
}

/// <summary>
/// A connection as a polyline from the source's right side to the target's left side, through one
/// bend point per layer it crosses. <see cref="Reversed"/> marks an edge that closed a cycle
/// (only in an invalid definition); it is drawn backwards.
/// </summary>
public sealed record LaidOutEdge(GraphEdge Edge, IReadOnlyList<(double X, double Y)> Points, bool Reversed);

/// <summary>The whole drawing, left to right; <see cref="Crossings"/> counts edge crossings left after ordering.</summary>
public sealed record GraphLayout(IReadOnlyList<LaidOutNode> Nodes, IReadOnlyList<LaidOutEdge> Edges, double Width, double Height, int Crossings)
{
    public LaidOutNode? Find(string id) => Nodes.FirstOrDefault(n => n.Id == id);
}

/// <summary>Sizes and gaps, in SVG user units (pixels at 100 %).</summary>
public sealed record LayoutOptions
{
    public double NodeWidth { get; init; } = 168;
    public double NodeHeight { get; init; } = 52;
    public double LayerGap { get; init; } = 72;
    public double NodeGap { get; init; } = 24;

    /// <summary>Room a bend point of a long edge takes in its layer.</summary>
    public double BendGap { get; init; } = 12;

    public double Margin { get; init; } = 16;

    /// <summary>Barycenter sweeps (down and up count as one each); ordering stops earlier without crossings.</summary>
    public int MaxSweeps { get; init; } = 16;

    public static LayoutOptions Default { get; } = new();
}
