using System.Text.Json;

namespace Workflow.Messaging.Engine.Validation;

/// <summary>
/// A template may only read the output of a node that runs before it, that is an ancestor in
/// the graph; anything else would resolve to nothing at run time, silently.
/// </summary>
internal static class TemplateReferenceRules
{
    public static void Check(DefinitionGraph graph, ProblemCollector problems)
    {
        for (var i = 0; i < graph.Nodes.Count; i++)
        {
            if (graph.Nodes[i] is not { } node)
                continue;
            HashSet<int>? ancestors = null;
            foreach (var (path, referenced) in References(i, node))
            {
                if (!graph.IndexById.TryGetValue(referenced, out var target))
                {
                    problems.Add(path, DefinitionProblemCodes.UnknownNodeReference, $"The template refers to node '{Echo.Of(referenced)}', which does not exist.");
                    continue;
                }
                ancestors ??= graph.Ancestors(i);
                if (!ancestors.Contains(target))
                    problems.Add(path, DefinitionProblemCodes.NodeReferenceNotUpstream,
                        $"The template reads node '{Echo.Of(referenced)}', which does not run before node '{graph.NodeId(i)}'; connect it upstream.");
            }
        }
    }

    private static IEnumerable<(string Path, string NodeId)> References(int index, Contracts.NodeDefinition node)
    {
        if (node.Parameters is { } parameters)
        {
            var parametersPath = DefinitionPath.Node(index, "parameters");
            foreach (var (name, value) in parameters)
            {
                foreach (var found in InValue(DefinitionPath.Property(parametersPath, name), value))
                    yield return found;
            }
        }
        if (node.FanOut?.Items is { } items)
        {
            foreach (var referenced in Templates.NodeReferences(items))
                yield return (DefinitionPath.Node(index, "fanOut.items"), referenced);
        }
    }

    private static IEnumerable<(string Path, string NodeId)> InValue(string path, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                foreach (var referenced in Templates.NodeReferences(value.GetString()!))
                    yield return (path, referenced);
                break;
            case JsonValueKind.Array:
                var position = 0;
                foreach (var item in value.EnumerateArray())
                {
                    foreach (var found in InValue(DefinitionPath.Index(path, position++), item))
                        yield return found;
                }
                break;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    foreach (var found in InValue(DefinitionPath.Property(path, property.Name), property.Value))
                        yield return found;
                }
                break;
        }
    }
}
