using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Executions;

/// <summary>Checks a definition before an execution may start from it.</summary>
public interface IDefinitionValidator
{
    IReadOnlyList<DefinitionProblem> Validate(WorkflowDefinition definition);
}
