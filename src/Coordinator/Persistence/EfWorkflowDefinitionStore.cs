using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Definitions;

namespace Workflow.Messaging.Coordinator.Persistence;

/// <summary>Definitions in the coordinator's database; (id, version) is the key, so a version is written once.</summary>
public sealed class EfWorkflowDefinitionStore(CoordinatorDbContext db, TimeProvider time) : IWorkflowDefinitionStore
{
    public async Task<WorkflowDefinition?> FindAsync(string workflowId, int? version, CancellationToken cancellationToken)
    {
        var query = db.Definitions.AsNoTracking().Where(d => d.WorkflowId == workflowId);
        if (version is { } v)
            query = query.Where(d => d.Version == v);
        var row = await query.OrderByDescending(d => d.Version).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : Deserialize(row);
    }

    public async Task SaveAsync(WorkflowDefinition definition, CancellationToken cancellationToken)
    {
        if (await db.Definitions.AnyAsync(d => d.WorkflowId == definition.Id && d.Version == definition.Version, cancellationToken))
            throw new InvalidOperationException($"Workflow '{definition.Id}' version {definition.Version} exists already; versions are immutable.");
        db.Definitions.Add(new WorkflowDefinitionRow
        {
            WorkflowId = definition.Id,
            Version = definition.Version,
            DefinitionJson = JsonSerializer.Serialize(definition, WorkflowJson.Options),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<WorkflowDefinition>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = await db.Definitions.AsNoTracking().OrderBy(d => d.WorkflowId).ThenBy(d => d.Version).ToListAsync(cancellationToken);
        return rows.Select(Deserialize).ToList();
    }

    private static WorkflowDefinition Deserialize(WorkflowDefinitionRow row) =>
        JsonSerializer.Deserialize<WorkflowDefinition>(row.DefinitionJson, WorkflowJson.Options)!;
}
