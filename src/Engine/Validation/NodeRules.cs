using System.Text.Json;
using System.Text.RegularExpressions;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Validation;

internal static partial class NodeRules
{
    public static void Check(DefinitionGraph graph, INodeTypeCatalog catalog, ProblemCollector problems)
    {
        for (var i = 0; i < graph.Nodes.Count; i++)
        {
            if (graph.Nodes[i] is not { } node)
            {
                problems.Add(DefinitionPath.Node(i), DefinitionProblemCodes.MissingNode, "The node is null.");
                continue;
            }
            CheckId(graph, i, node, problems);
            if (TryGetDescriptor(i, node, catalog, problems) is { } descriptor)
                CheckParameters(i, node, descriptor, problems);
            RetryRules.Check(i, node.Retry, problems);
            CheckLimits(i, node, problems);
        }
    }

    private static void CheckId(DefinitionGraph graph, int index, NodeDefinition node, ProblemCollector problems)
    {
        var path = DefinitionPath.Node(index, "id");
        if (string.IsNullOrWhiteSpace(node.Id))
            problems.Add(path, DefinitionProblemCodes.MissingNodeId, "The node needs a non-empty id.");
        else if (!NodeIdFormat().IsMatch(node.Id))
            problems.Add(path, DefinitionProblemCodes.InvalidNodeId,
                $"Node id '{Echo.Of(node.Id)}' may only use letters, digits, '_' and '-' (at most 100), because templates refer to it as $node.<id>.");
        else if (graph.IndexById[node.Id] != index)
            problems.Add(path, DefinitionProblemCodes.DuplicateNodeId,
                $"Node id '{Echo.Of(node.Id)}' is already used by {DefinitionPath.Node(graph.IndexById[node.Id])}.");
    }

    private static NodeTypeDescriptor? TryGetDescriptor(int index, NodeDefinition node, INodeTypeCatalog catalog, ProblemCollector problems)
    {
        var path = DefinitionPath.Node(index, "type");
        if (string.IsNullOrWhiteSpace(node.Type))
        {
            problems.Add(path, DefinitionProblemCodes.MissingNodeType, "The node needs a type.");
            return null;
        }
        if (catalog.TryGet(node.Type, out var descriptor))
            return descriptor;
        var known = string.Join(", ", catalog.All.Select(d => d.Type).Order(StringComparer.Ordinal));
        problems.Add(path, DefinitionProblemCodes.UnknownNodeType, $"Unknown node type '{Echo.Of(node.Type)}'; known types: {known}.");
        return null;
    }

    private static void CheckParameters(int index, NodeDefinition node, NodeTypeDescriptor descriptor, ProblemCollector problems)
    {
        var parameters = node.Parameters ?? new Dictionary<string, JsonElement>();
        var parametersPath = DefinitionPath.Node(index, "parameters");
        foreach (var name in descriptor.RequiredParameters)
        {
            if (!parameters.TryGetValue(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
                problems.Add(DefinitionPath.Property(parametersPath, name), DefinitionProblemCodes.MissingParameter,
                    $"Node type '{descriptor.Type}' requires parameter '{name}'.");
        }
        if (descriptor.ValidateParameters is null)
            return;
        try
        {
            foreach (var problem in descriptor.ValidateParameters(parameters))
                problems.Add(DefinitionPath.Property(parametersPath, problem.Parameter), DefinitionProblemCodes.InvalidParameter, problem.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A node type's own check must not turn a bad definition into a crash of the caller.
            problems.Add(parametersPath, DefinitionProblemCodes.InvalidParameter,
                $"Node type '{descriptor.Type}' could not check these parameters: {e.Message}");
        }
    }

    private static void CheckLimits(int index, NodeDefinition node, ProblemCollector problems)
    {
        if (node.Timeout is { } timeout && timeout <= TimeSpan.Zero)
            problems.Add(DefinitionPath.Node(index, "timeout"), DefinitionProblemCodes.InvalidTimeout,
                $"The timeout must be longer than zero, not {Duration.Format(timeout)}.");

        if (node.FanOut is { } fanOut && (fanOut.Items is null || !Templates.ContainsTemplate(fanOut.Items)))
            problems.Add(DefinitionPath.Node(index, "fanOut.items"), DefinitionProblemCodes.InvalidFanOut,
                "fanOut.items must be a template that yields an array, e.g. \"{{ $input.orders }}\".");

        if (node.Pool is { } pool && !PoolFormat().IsMatch(pool))
            problems.Add(DefinitionPath.Node(index, "pool"), DefinitionProblemCodes.InvalidPool,
                $"Pool '{Echo.Of(pool)}' must be 1 to 50 lowercase letters, digits or inner '-', because it names the queue node-pool-<pool>.");

        if (node.Resource is { } resource && !ResourceFormat().IsMatch(resource))
            problems.Add(DefinitionPath.Node(index, "resource"), DefinitionProblemCodes.InvalidResource,
                $"Resource '{Echo.Of(resource)}' must be 1 to 100 lowercase letters, digits or inner '.', '_' or '-', because it names a limit the coordinators configure.");
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$")]
    private static partial Regex NodeIdFormat();

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$")]
    private static partial Regex PoolFormat();

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?$")]
    private static partial Regex ResourceFormat();
}
