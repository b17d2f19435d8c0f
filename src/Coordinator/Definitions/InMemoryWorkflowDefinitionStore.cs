using System.Collections.Concurrent;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Definitions;

/// <summary>Process-local definition store for the embedded mode and tests.</summary>
public sealed class InMemoryWorkflowDefinitionStore : IWorkflowDefinitionStore
{
    private readonly ConcurrentDictionary<(string Id, int Version), WorkflowDefinition> _definitions = new();

    public Task<WorkflowDefinition?> FindAsync(string workflowId, int? version, CancellationToken cancellationToken)
    {
        var match = _definitions.Values
            .Where(d => d.Id == workflowId && (version is null || d.Version == version))
            .MaxBy(d => d.Version);
        return Task.FromResult(match);
    }

    public Task SaveAsync(WorkflowDefinition definition, CancellationToken cancellationToken) =>
        _definitions.TryAdd((definition.Id, definition.Version), definition)
            ? Task.CompletedTask
            : throw new InvalidOperationException($"Workflow '{definition.Id}' version {definition.Version} exists already; versions are immutable.");

    public Task<IReadOnlyList<WorkflowDefinition>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<WorkflowDefinition>>(_definitions.Values.OrderBy(d => d.Id).ThenBy(d => d.Version).ToList());
}
