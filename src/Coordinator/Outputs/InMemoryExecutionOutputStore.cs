using System.Collections.Concurrent;
using System.Text.Json;

namespace Workflow.Messaging.Coordinator.Outputs;

/// <summary>Process-local output store for the embedded mode and component tests.</summary>
public sealed class InMemoryExecutionOutputStore : IExecutionOutputStore
{
    private readonly ConcurrentDictionary<(Guid, string, int?), JsonElement> _outputs = new();
    private readonly ConcurrentDictionary<(Guid, string, int?), long> _sizes = new();

    public Task SaveAsync(Guid executionId, string nodeId, int? itemIndex, JsonElement output, bool mayReplace, CancellationToken cancellationToken)
    {
        var stored = output.Clone();
        _outputs[(executionId, nodeId, itemIndex)] = stored;
        _sizes[(executionId, nodeId, itemIndex)] = stored.GetRawText().Length;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, JsonElement>> LoadAsync(Guid executionId, IReadOnlyCollection<string> nodeIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var id in nodeIds)
            if (_outputs.TryGetValue((executionId, id, null), out var output))
                found[id] = output;
        return Task.FromResult<IReadOnlyDictionary<string, JsonElement>>(found);
    }

    public Task<IReadOnlyDictionary<string, long>> SizesAsync(Guid executionId, IReadOnlyCollection<string> nodeIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var id in nodeIds)
            if (_sizes.TryGetValue((executionId, id, null), out var size))
                found[id] = size;
        return Task.FromResult<IReadOnlyDictionary<string, long>>(found);
    }

    public Task<IReadOnlyList<JsonElement>> LoadItemsAsync(Guid executionId, string nodeId, int itemCount, CancellationToken cancellationToken)
    {
        var items = Enumerable.Range(0, itemCount)
            .Select(i => _outputs.TryGetValue((executionId, nodeId, i), out var output) ? output : default)
            .ToList();
        return Task.FromResult<IReadOnlyList<JsonElement>>(items);
    }
}
