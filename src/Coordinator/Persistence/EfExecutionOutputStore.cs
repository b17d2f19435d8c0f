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
    public async Task SaveAsync(Guid executionId, string nodeId, int? itemIndex, JsonElement output, bool mayReplace, CancellationToken cancellationToken)
    {
        var index = itemIndex ?? NodeOutputRow.WholeNode;
        var row = db.NodeOutputs.Local.FirstOrDefault(r => r.ExecutionId == executionId && r.NodeId == nodeId && r.ItemIndex == index);
        // Only a node run again by an execution retry can have a row already; every other write is
        // new, and asking the database first would cost a round trip per step.
        if (row is null && mayReplace)
            row = await db.NodeOutputs.FindAsync([executionId, nodeId, index], cancellationToken);
        if (row is null)
            db.NodeOutputs.Add(new NodeOutputRow { ExecutionId = executionId, NodeId = nodeId, ItemIndex = index, OutputJson = output.GetRawText() });
        else
            row.OutputJson = output.GetRawText();
    }

    public async Task<IReadOnlyDictionary<string, JsonElement>> LoadAsync(Guid executionId, IReadOnlyCollection<string> nodeIds, CancellationToken cancellationToken)
    {
        var ids = nodeIds.ToList();
        var stored = await db.NodeOutputs.AsNoTracking()
            .Where(r => r.ExecutionId == executionId && r.ItemIndex == NodeOutputRow.WholeNode && ids.Contains(r.NodeId))
            .ToListAsync(cancellationToken);
        var staged = db.NodeOutputs.Local.Where(r => r.ExecutionId == executionId && r.ItemIndex == NodeOutputRow.WholeNode && ids.Contains(r.NodeId));
        return Overlay(stored, staged).ToDictionary(r => r.NodeId, r => Parse(r.OutputJson), StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<string, long>> SizesAsync(Guid executionId, IReadOnlyCollection<string> nodeIds, CancellationToken cancellationToken)
    {
        var ids = nodeIds.ToList();
        // Only the lengths cross the wire: the point is not to read the outputs.
        var stored = await db.NodeOutputs.AsNoTracking()
            .Where(r => r.ExecutionId == executionId && r.ItemIndex == NodeOutputRow.WholeNode && ids.Contains(r.NodeId))
            .Select(r => new { r.NodeId, r.OutputJson.Length })
            .ToListAsync(cancellationToken);
        var sizes = stored.ToDictionary(r => r.NodeId, r => (long)r.Length, StringComparer.Ordinal);
        foreach (var staged in db.NodeOutputs.Local.Where(r => r.ExecutionId == executionId && r.ItemIndex == NodeOutputRow.WholeNode && ids.Contains(r.NodeId)))
            sizes[staged.NodeId] = staged.OutputJson.Length;
        return sizes;
    }

    public async Task<IReadOnlyList<JsonElement>> LoadItemsAsync(Guid executionId, string nodeId, int itemCount, CancellationToken cancellationToken)
    {
        var stored = await db.NodeOutputs.AsNoTracking()
            .Where(r => r.ExecutionId == executionId && r.NodeId == nodeId && r.ItemIndex >= 0)
            .ToListAsync(cancellationToken);
        var staged = db.NodeOutputs.Local.Where(r => r.ExecutionId == executionId && r.NodeId == nodeId && r.ItemIndex >= 0);
        var rows = Overlay(stored, staged).ToDictionary(r => r.ItemIndex);
        return Enumerable.Range(0, itemCount).Select(i => rows.TryGetValue(i, out var row) ? Parse(row.OutputJson) : default).ToList();
    }

    // Filters are written out per query (no shared predicate compiled per call): compiling an
    // expression on every step made the JIT a steady cost of the hot path.
    private static IEnumerable<NodeOutputRow> Overlay(List<NodeOutputRow> stored, IEnumerable<NodeOutputRow> staged)
    {
        var local = staged.ToList();
        return stored.Where(s => !local.Any(t => t.NodeId == s.NodeId && t.ItemIndex == s.ItemIndex)).Concat(local);
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
