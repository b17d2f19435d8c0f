using System.Globalization;
using System.Net;
using System.Text;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Console.Layout;

/// <summary>What a drawing shows besides the graph: each node's state (a CSS hook the page's script changes live) and problems.</summary>
public sealed record SvgDecorations
{
    /// <summary>The node's state name (pending, running, succeeded, ...), written to <c>data-state</c>.</summary>
    public Func<string, string>? StateOf { get; init; }

    /// <summary>Problems at the node, shown as a badge with their count and listed in the node's tooltip.</summary>
    public Func<string, IReadOnlyList<string>>? ProblemsOf { get; init; }
}

/// <summary>
/// Renders a <see cref="GraphLayout"/> as inline SVG. Colours live in the console's stylesheet
/// (by <c>data-state</c>), so the page's script recolours a node by changing one attribute.
/// Every id and label is encoded: definitions come from users.
/// </summary>
public static class SvgGraph
{
    private const int MaxLabelChars = 20;

    public static string Render(GraphLayout layout, SvgDecorations? decorations = null)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(layout.Width)}\" height=\"{N(layout.Height)}\" viewBox=\"0 0 {N(layout.Width)} {N(layout.Height)}\" role=\"img\" aria-label=\"workflow graph\">");
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"arrow\"/></marker></defs>");
        foreach (var edge in layout.Edges)
            Edge(svg, edge);
        foreach (var node in layout.Nodes)
            Node(svg, node, decorations);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Edge(StringBuilder svg, LaidOutEdge edge)
    {
        var points = edge.Points;
        var path = new StringBuilder($"M{N(points[0].X)},{N(points[0].Y)}");
        for (var i = 1; i < points.Count; i++)
        {
            var (from, to) = (points[i - 1], points[i]);
            var bend = (to.X - from.X) / 2;
            path.Append(CultureInfo.InvariantCulture, $" C{N(from.X + bend)},{N(from.Y)} {N(to.X - bend)},{N(to.Y)} {N(to.X)},{N(to.Y)}");
        }
        var port = edge.Edge.Port;
        svg.Append(CultureInfo.InvariantCulture,
            $"<path class=\"edge{(port == OutputPorts.Error ? " error" : "")}{(edge.Reversed ? " reversed" : "")}\" data-from=\"{E(edge.Edge.From)}\" data-to=\"{E(edge.Edge.To)}\" d=\"{path}\" marker-end=\"url(#arrow)\"/>");
        // Labelled at the target end: edges leaving one port start at the same point, where labels would overlap.
        if (port != OutputPorts.Main)
            svg.Append(CultureInfo.InvariantCulture,
                $"<text class=\"port\" x=\"{N(points[^1].X - 8)}\" y=\"{N(points[^1].Y - 6)}\" text-anchor=\"end\">{E(port)}</text>");
    }

    private static void Node(StringBuilder svg, LaidOutNode node, SvgDecorations? decorations)
    {
        var state = decorations?.StateOf?.Invoke(node.Id) ?? "pending";
        var problems = decorations?.ProblemsOf?.Invoke(node.Id) ?? [];
        var label = node.Node.Label.Length > MaxLabelChars ? node.Node.Label[..(MaxLabelChars - 1)] + "…" : node.Node.Label;
        svg.Append(CultureInfo.InvariantCulture,
            $"<g class=\"node{(problems.Count > 0 ? " has-problems" : "")}\" data-node=\"{E(node.Id)}\" data-type=\"{E(node.Node.Type)}\" data-state=\"{E(state)}\"{(node.Node.FanOut ? " data-fanout=\"true\"" : "")} transform=\"translate({N(node.X)},{N(node.Y)})\" tabindex=\"0\">");
        var title = node.Node.Label == node.Id ? node.Id : $"{node.Node.Label} ({node.Id})";
        svg.Append("<title>").Append(E(string.Join("\n", problems.Prepend(title)))).Append("</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{N(node.Width)}\" height=\"{N(node.Height)}\" rx=\"8\"/>");
        svg.Append("<text class=\"label\" x=\"10\" y=\"21\">").Append(E(label)).Append("</text>");
        svg.Append("<text class=\"meta\" x=\"10\" y=\"40\">").Append(E(node.Node.Type + (node.Node.FanOut ? " · fan-out" : ""))).Append("</text>");
        // Filled in by the page's script: per-state counts of a fan-out's items, or the attempt number.
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"counts\" x=\"{N(node.Width - 8)}\" y=\"40\" text-anchor=\"end\"></text>");
        if (problems.Count > 0)
            svg.Append(CultureInfo.InvariantCulture,
                $"<g class=\"badge\"><circle cx=\"{N(node.Width)}\" cy=\"0\" r=\"10\"/><text x=\"{N(node.Width)}\" y=\"4\" text-anchor=\"middle\">{problems.Count}</text></g>");
        svg.Append("</g>");
    }

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
