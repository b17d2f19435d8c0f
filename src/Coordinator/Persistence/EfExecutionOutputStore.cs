using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Workflow.Messaging.Coordinator.Outputs;

namespace Workflow.Messaging.Coordinator.Persistence;

/// <summary>
/// Outputs in the coordinator's database. Writes only stage rows on the scoped context: the saga
/// repository's save commits them in the same transaction as the saga step that produced them.
/// Reads overlay rows staged in this step, which the database does not have yet.
/// </summary>
public sealed class EfExecutionOutputStore(CoordinatorDbContext db) : IExecutionOutputStore
{
    public async Task SaveAsync(Guid executionId, string nodeId, int? itemIndex, JsonElement output, CancellationToken cancellationToken)
    {
        var index = itemIndex ?? NodeOutputRow.WholeNode;
        // A retried execution may run a node again: its new output replaces the old one.
        var row = await db.NodeOutputs.FindAsync([executionId, nodeId, index], cancellationToken);
        if (row is null)
            db.NodeOutputs.Add(new NodeOutputRow { ExecutionId = executionId, NodeId = nodeId, ItemIndex = index, OutputJson = output.GetRawText() });
        else
            row.OutputJson = output.GetRawText();
    }

    public async Task<IReadOnlyDictionary<string, JsonElement>> LoadAsync(Guid executionId, IReadOnlyCollection<string> nodeIds, CancellationToken cancellationToken)
    {
        var ids = nodeIds.ToList();
        var rows = await Query(executionId, cancellationToken, r => ids.Contains(r.NodeId) && r.ItemIndex == NodeOutputRow.WholeNode);
        return rows.ToDictionary(r => r.NodeId, r => Parse(r.OutputJson), StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<JsonElement>> LoadItemsAsync(Guid executionId, string nodeId, int itemCount, CancellationToken cancellationToken)
    {
        var rows = (await Query(executionId, cancellationToken, r => r.NodeId == nodeId && r.ItemIndex >= 0))
            .ToDictionary(r => r.ItemIndex);
        return Enumerable.Range(0, itemCount).Select(i => rows.TryGetValue(i, out var row) ? Parse(row.OutputJson) : default).ToList();
    }

    private async Task<List<NodeOutputRow>> Query(Guid executionId, CancellationToken cancellationToken, System.Linq.Expressions.Expression<Func<NodeOutputRow, bool>> filter)
    {
        var stored = await db.NodeOutputs.AsNoTracking().Where(r => r.ExecutionId == executionId).Where(filter).ToListAsync(cancellationToken);
        var match = filter.Compile();
        var staged = db.NodeOutputs.Local.Where(r => r.ExecutionId == executionId && match(r)).ToList();
        return stored.Where(s => !staged.Any(t => t.NodeId == s.NodeId && t.ItemIndex == s.ItemIndex)).Concat(staged).ToList();
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
