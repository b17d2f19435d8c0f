using System.Text.Json;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Validation;

/// <summary>
/// Checks a definition's meaning: ids, node types and parameters, ports, the graph (cycles,
/// reachability, joins), retry and time limits. Lists every problem instead of stopping at the
/// first, so a user fixes a definition in one round. Never throws for a bad definition.
/// </summary>
public static class DefinitionValidator
{
    public static IReadOnlyList<DefinitionProblem> Validate(
        WorkflowDefinition definition, INodeTypeCatalog catalog, DefinitionLimits? limits = null) =>
        Validate(definition, catalog, limits ?? DefinitionLimits.Default, measureSerializedSize: true);

    /// <param name="measureSerializedSize">
    /// False when the caller already measured the document it read: serializing again would
    /// count defaults the author never wrote.
    /// </param>
    internal static IReadOnlyList<DefinitionProblem> Validate(
        WorkflowDefinition definition, INodeTypeCatalog catalog, DefinitionLimits limits, bool measureSerializedSize)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(catalog);
        var problems = new ProblemCollector(limits.MaxProblems);

        // An oversized definition is refused before the checks whose cost grows with its size.
        if (!CheckSize(definition, limits, measureSerializedSize, problems))
            return problems.ToList();

        WorkflowRules.Check(definition, problems);
        var graph = DefinitionGraph.Build(definition);
        NodeRules.Check(graph, catalog, problems);
        ConnectionRules.Check(graph, catalog, problems);
        GraphRules.Check(graph, problems);
        TemplateReferenceRules.Check(graph, problems);
        return problems.ToList();
    }

    private static bool CheckSize(WorkflowDefinition definition, DefinitionLimits limits, bool measureSerializedSize, ProblemCollector problems)
    {
        var nodeCount = definition.Nodes?.Count ?? 0;
        var connectionCount = definition.Connections?.Count ?? 0;
        if (nodeCount > limits.MaxNodes)
            problems.Add("$.nodes", DefinitionProblemCodes.TooManyNodes, $"The workflow has {nodeCount} nodes; at most {limits.MaxNodes} are allowed.");
        if (connectionCount > limits.MaxConnections)
            problems.Add("$.connections", DefinitionProblemCodes.TooManyConnections, $"The workflow has {connectionCount} connections; at most {limits.MaxConnections} are allowed.");
        if (problems.Count > 0 || !measureSerializedSize)
            return problems.Count == 0;

        long size;
        try
        {
            size = JsonSerializer.SerializeToUtf8Bytes(definition, WorkflowJson.Options).LongLength;
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException or NotSupportedException)
        {
            // A definition built in code can hold an undefined JsonElement; its other problems are still worth listing.
            return true;
        }
        if (size > limits.MaxBytes)
            problems.Add(DefinitionPath.Root, DefinitionProblemCodes.DefinitionTooLarge, $"The definition is {size} bytes as JSON; at most {limits.MaxBytes} are allowed.");
        return problems.Count == 0;
    }
}
