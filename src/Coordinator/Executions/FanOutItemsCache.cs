using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;

namespace Workflow.Messaging.Coordinator.Executions;

/// <summary>
/// The items of running fan-outs, read once at expansion and kept here for the dispatches after
/// it. Without it every step that dispatched an item loaded the upstream output and rendered the
/// whole items array again, a cost that grew with the number of items.
/// </summary>
/// <remarks>
/// Only a cache: a coordinator that restarted, or another coordinator, reads the items again from
/// the stored upstream outputs, which do not change while the fan-out runs. Bounded by the bytes of
/// JSON it holds; an evicted entry is read again the same way.
/// </remarks>
public sealed class FanOutItemsCache : IDisposable
{
    private const long CapacityBytes = 64L * 1024 * 1024;
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = CapacityBytes });

    public bool TryGet(Guid executionId, string nodeId, out JsonElement[] items) =>
        _cache.TryGetValue((executionId, nodeId), out items!);

    public void Set(Guid executionId, string nodeId, JsonElement[] items)
    {
        long bytes = 64;
        foreach (var item in items)
            bytes += JsonMarshal.GetRawUtf8Value(item).Length + 16;
        if (bytes <= CapacityBytes / 4)
            _cache.Set((executionId, nodeId), items, new MemoryCacheEntryOptions { Size = bytes, SlidingExpiration = Idle });
    }

    /// <summary>The fan-out has every item's result: its items are not needed again.</summary>
    public void Forget(Guid executionId, string nodeId) => _cache.Remove((executionId, nodeId));

    public void Dispose() => _cache.Dispose();
}
