using System.Text.Json;
using System.Text.RegularExpressions;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Console.Layout;

namespace Workflow.Messaging.Coordinator.Console.Model;

/// <summary>
/// Finds the node a problem concerns from its JSON path: <c>$.nodes[i]...</c> is node i,
/// <c>$.connections[i]...</c> is that connection's source (or its target when the source is unknown).
/// </summary>
public static partial class ProblemPlacement
{
    public static (Dictionary<string, IReadOnlyList<DefinitionProblem>> ByNode, List<DefinitionProblem> Elsewhere) Place(
        string json, GraphSource source, IReadOnlyList<DefinitionProblem> problems)
    {
        var connections = Connections(json);
        var known = source.Nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var byNode = new Dictionary<string, List<DefinitionProblem>>(StringComparer.Ordinal);
        var elsewhere = new List<DefinitionProblem>();
        foreach (var problem in problems)
        {
            string? node = null;
            if (NodePath().Match(problem.Path) is { Success: true } n && int.Parse(n.Groups[1].Value) is var i && i < source.Nodes.Count)
                node = source.Nodes[i].Id;
            else if (ConnectionPath().Match(problem.Path) is { Success: true } c && int.Parse(c.Groups[1].Value) is var j && j < connections.Count)
                node = new[] { connections[j].From, connections[j].To }.FirstOrDefault(id => id is not null && known.Contains(id));
            if (node is null)
                elsewhere.Add(problem);
            else
                (byNode.TryGetValue(node, out var list) ? list : byNode[node] = []).Add(problem);
        }
        return (byNode.ToDictionary(p => p.Key, p => (IReadOnlyList<DefinitionProblem>)p.Value, StringComparer.Ordinal), elsewhere);
    }

    private static List<(string? From, string? To)> Connections(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("connections", out var array)
                || array.ValueKind != JsonValueKind.Array)
                return [];
            return array.EnumerateArray().Select(c => (Text(c, "from"), Text(c, "to"))).ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    [GeneratedRegex(@"^\$\.nodes\[(\d+)\]")]
    private static partial Regex NodePath();

    [GeneratedRegex(@"^\$\.connections\[(\d+)\]")]
    private static partial Regex ConnectionPath();
}
