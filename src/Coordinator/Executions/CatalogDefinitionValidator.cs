using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Validation;

namespace Workflow.Messaging.Coordinator.Executions;

/// <summary>Validates against the node types this coordinator knows (built-ins plus any a host added).</summary>
public sealed class CatalogDefinitionValidator(INodeTypeCatalog catalog) : IDefinitionValidator
{
    public IReadOnlyList<DefinitionProblem> Validate(WorkflowDefinition definition) =>
        DefinitionValidator.Validate(definition, catalog);
}
