using Workflow.Messaging.Coordinator.Admission;

namespace Workflow.Messaging.Coordinator.Tests.Admission;

/// <summary>An in-memory store that counts every call: proof that an unlimited execution never reaches admission.</summary>
internal sealed class CountingAdmissionStore : IAdmissionStore
{
    private readonly InMemoryAdmissionStore _inner = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _calls = new();

    public int Calls => _calls.Count;

    /// <summary>
    /// What each call was about (an execution id, limit keys), so a test on a database other tests
    /// share can tell its own execution's calls from a pass or sweep over what those left behind.
    /// </summary>
    public IReadOnlyList<string> CallSubjects => [.. _calls];

    private T Count<T>(T result, string subject = "")
    {
        _calls.Enqueue(subject);
        return result;
    }

    public Task<bool> AnyWaitingAsync(IReadOnlyList<string> keys, CancellationToken c) => Count(_inner.AnyWaitingAsync(keys, c), string.Join(",", keys));
    public Task<bool> TryAcquireAsync(AdmissionHolder h, IReadOnlyList<LimitDemand> d, DateTime now, DateTime lease, CancellationToken c) => Count(_inner.TryAcquireAsync(h, d, now, lease, c), h.ExecutionId.ToString());
    public Task<int> HeldByAsync(AdmissionHolder h, CancellationToken c) => Count(_inner.HeldByAsync(h, c), h.ExecutionId.ToString());
    public Task EnqueueAsync(AdmissionHolder h, IReadOnlyList<LimitDemand> d, int p, DateTime now, ParkedDispatch? parked, CancellationToken c) => Count(_inner.EnqueueAsync(h, d, p, now, parked, c), h.ExecutionId.ToString());
    public Task ReleaseAsync(Guid id, CancellationToken c) => Count(_inner.ReleaseAsync(id, c), id.ToString());
    public Task ReleaseHolderAsync(AdmissionHolder h, CancellationToken c) => Count(_inner.ReleaseHolderAsync(h, c), h.ExecutionId.ToString());
    public Task<IReadOnlyList<AdmittedHolder>> AdmitWaitingAsync(string key, DateTime now, DateTime lease, int size, CancellationToken c) => Count(_inner.AdmitWaitingAsync(key, now, lease, size, c), key);
    public Task<IReadOnlyList<string>> WaitingForAsync(Guid id, CancellationToken c) => Count(_inner.WaitingForAsync(id, c), id.ToString());
    public Task<IReadOnlyList<string>> ReclaimExpiredAsync(DateTime now, DateTime lease, DateTime heard, CancellationToken c) => Count(_inner.ReclaimExpiredAsync(now, lease, heard, c));
    public Task<AdmissionSnapshot> SnapshotAsync(CancellationToken c) => Count(_inner.SnapshotAsync(c));
    public Task<bool> ClaimWakeUpAsync(string key, DateTime at, DateTime now, CancellationToken c) => Count(_inner.ClaimWakeUpAsync(key, at, now, c), key);
    public Task<DateTime?> NextRateSlotAsync(string key, int capacity, DateTime now, CancellationToken c) => Count(_inner.NextRateSlotAsync(key, capacity, now, c), key);
}
