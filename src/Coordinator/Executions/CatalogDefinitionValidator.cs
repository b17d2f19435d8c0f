using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Planning;

namespace Workflow.Messaging.Coordinator.Executions;

/// <summary>Validates against the node types this coordinator knows.</summary>
public sealed class CatalogDefinitionValidator(INodeTypeCatalog catalog) : IDefinitionValidator
{
    public IReadOnlyList<DefinitionProblem> Validate(WorkflowDefinition definition)
    {
        var problems = new List<DefinitionProblem>();
        for (var i = 0; i < definition.Nodes.Count; i++)
            if (!catalog.TryGet(definition.Nodes[i].Type, out _))
                problems.Add(new DefinitionProblem { Path = $"$.nodes[{i}].type", Code = "unknown-node-type", Message = $"Unknown node type '{definition.Nodes[i].Type}'." });
        try
        {
            _ = new ExecutionGraph(definition);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
        {
            problems.Add(new DefinitionProblem { Path = "$.connections", Code = "cycle", Message = exception.Message });
        }
        return problems;
    }
}
