using System.Text.Json;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Console.Layout;

/// <summary>A node to lay out: its id, what the box says, and its index in the definition's node list.</summary>
public sealed record GraphNode(string Id, string Label, string Type, bool FanOut = false, string? Pool = null);

/// <summary>A connection to draw; <see cref="Port"/> is the source's output port (main, true, error, a case).</summary>
public sealed record GraphEdge(string From, string To, string Port = OutputPorts.Main);

/// <summary>
/// What the layout reads: nodes in definition order and the connections between them. Built from a
/// valid definition, or leniently from any JSON text, because an invalid definition must still be
/// drawn for its problems to be shown next to its nodes.
/// </summary>
public sealed record GraphSource(IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges)
{
    public static GraphSource From(WorkflowDefinition definition) => new(
        definition.Nodes.Select(n => new GraphNode(n.Id, n.Name ?? n.Id, n.Type, n.FanOut is not null, n.Pool)).ToList(),
        definition.Connections.Select(c => new GraphEdge(c.From, c.To, c.Output)).ToList());

    /// <summary>
    /// Whatever nodes and connections the text holds, skipping what is malformed: a node without
    /// an id becomes <c>#index</c>, so problems at <c>$.nodes[i]</c> still have a box to point at.
    /// </summary>
    public static GraphSource FromJson(string json)
    {
        var nodes = new List<GraphNode>();
        var edges = new List<GraphEdge>();
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return new GraphSource(nodes, edges);
            if (root.TryGetProperty("nodes", out var nodeArray) && nodeArray.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var node in nodeArray.EnumerateArray())
                {
                    var id = Text(node, "id") ?? $"#{index}";
                    nodes.Add(new GraphNode(id, Text(node, "name") ?? id, Text(node, "type") ?? "?",
                        node.ValueKind == JsonValueKind.Object && node.TryGetProperty("fanOut", out _), Text(node, "pool")));
                    index++;
                }
            }
            if (root.TryGetProperty("connections", out var connections) && connections.ValueKind == JsonValueKind.Array)
                foreach (var connection in connections.EnumerateArray())
                    if (Text(connection, "from") is { } from && Text(connection, "to") is { } to)
                        edges.Add(new GraphEdge(from, to, Text(connection, "output") ?? OutputPorts.Main));
        }
        catch (JsonException)
        {
            // Not JSON at all: nothing to draw; the problems list says why.
        }
        return new GraphSource(nodes, edges);
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
