using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Definitions;

/// <summary>Stored, versioned definitions that StartWorkflow can refer to by id.</summary>
public interface IWorkflowDefinitionStore
{
    /// <summary>A version, or the latest when <paramref name="version"/> is null; null when there is none.</summary>
    Task<WorkflowDefinition?> FindAsync(string workflowId, int? version, CancellationToken cancellationToken);

    /// <summary>Stores a new version; fails if that (id, version) exists, since versions are immutable.</summary>
    Task SaveAsync(WorkflowDefinition definition, CancellationToken cancellationToken);

    Task<IReadOnlyList<WorkflowDefinition>> ListAsync(CancellationToken cancellationToken);
}
