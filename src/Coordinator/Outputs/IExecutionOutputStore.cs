using System.Text.Json;

namespace Workflow.Messaging.Coordinator.Outputs;

/// <summary>
/// Node outputs, kept out of the saga row. A fan-out node has one row per item plus, once all
/// items are in, the joined array under the node itself (item index null).
/// Implementations write inside the saga's unit of work where they have one.
/// </summary>
public interface IExecutionOutputStore
{
    /// <summary>
    /// Stages an output. <paramref name="mayReplace"/> is true only when the node may have stored an
    /// output before (it runs again after an execution retry); otherwise the write is known to be new.
    /// </summary>
    Task SaveAsync(Guid executionId, string nodeId, int? itemIndex, JsonElement output, bool mayReplace, CancellationToken cancellationToken);

    /// <summary>Outputs of whole nodes (item index null), by node id; missing nodes are absent.</summary>
    Task<IReadOnlyDictionary<string, JsonElement>> LoadAsync(Guid executionId, IReadOnlyCollection<string> nodeIds, CancellationToken cancellationToken);

    /// <summary>
    /// Sizes (characters of JSON) of whole-node outputs, by node id, without loading them: status
    /// reads decide from these which outputs to include and which to leave for the per-node read.
    /// </summary>
    Task<IReadOnlyDictionary<string, long>> SizesAsync(Guid executionId, IReadOnlyCollection<string> nodeIds, CancellationToken cancellationToken);

    /// <summary>Item outputs of a fan-out node, in item order.</summary>
    Task<IReadOnlyList<JsonElement>> LoadItemsAsync(Guid executionId, string nodeId, int itemCount, CancellationToken cancellationToken);
}
