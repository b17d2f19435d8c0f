using Workflow.Messaging.Coordinator.Admission;

namespace Workflow.Messaging.Coordinator.Tests.Admission;

/// <summary>An in-memory store that counts every call: proof that an unlimited execution never reaches admission.</summary>
internal sealed class CountingAdmissionStore : IAdmissionStore
{
    private readonly InMemoryAdmissionStore _inner = new();
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    private T Count<T>(T result)
    {
        Interlocked.Increment(ref _calls);
        return result;
    }

    public Task<bool> AnyWaitingAsync(IReadOnlyList<string> keys, CancellationToken c) => Count(_inner.AnyWaitingAsync(keys, c));
    public Task<bool> TryAcquireAsync(AdmissionHolder h, IReadOnlyList<LimitDemand> d, DateTime now, DateTime lease, CancellationToken c) => Count(_inner.TryAcquireAsync(h, d, now, lease, c));
    public Task<int> HeldByAsync(AdmissionHolder h, CancellationToken c) => Count(_inner.HeldByAsync(h, c));
    public Task EnqueueAsync(AdmissionHolder h, IReadOnlyList<LimitDemand> d, int p, DateTime now, ParkedDispatch? parked, CancellationToken c) => Count(_inner.EnqueueAsync(h, d, p, now, parked, c));
    public Task ReleaseAsync(Guid id, CancellationToken c) => Count(_inner.ReleaseAsync(id, c));
    public Task ReleaseHolderAsync(AdmissionHolder h, CancellationToken c) => Count(_inner.ReleaseHolderAsync(h, c));
    public Task<IReadOnlyList<AdmittedHolder>> AdmitWaitingAsync(string key, DateTime now, DateTime lease, int size, CancellationToken c) => Count(_inner.AdmitWaitingAsync(key, now, lease, size, c));
    public Task<IReadOnlyList<string>> WaitingForAsync(Guid id, CancellationToken c) => Count(_inner.WaitingForAsync(id, c));
    public Task<IReadOnlyList<string>> ReclaimExpiredAsync(DateTime now, DateTime lease, DateTime heard, CancellationToken c) => Count(_inner.ReclaimExpiredAsync(now, lease, heard, c));
    public Task<AdmissionSnapshot> SnapshotAsync(CancellationToken c) => Count(_inner.SnapshotAsync(c));
    public Task<bool> ClaimWakeUpAsync(string key, DateTime at, DateTime now, CancellationToken c) => Count(_inner.ClaimWakeUpAsync(key, at, now, c));
    public Task<DateTime?> NextRateSlotAsync(string key, int capacity, DateTime now, CancellationToken c) => Count(_inner.NextRateSlotAsync(key, capacity, now, c));
}
