namespace Workflow.Messaging.Coordinator.Admission;

/// <summary>
/// Admission for a coordinator without a database (the Memory provider, component tests): the same
/// rules as <see cref="EfAdmissionStore"/> under one lock. Nothing outlives the process, so nothing
/// needs reclaiming.
/// </summary>
public sealed class InMemoryAdmissionStore : IAdmissionStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<Guid>> _held = new(StringComparer.Ordinal);
    private readonly List<(AdmissionWaitRow Row, long Sequence)> _waits = [];
    private long _sequence;

    public Task<bool> AnyWaitingAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult(_waits.Any(w => keys.Contains(w.Row.LimitKey)));
    }

    public Task<bool> TryAcquireAsync(Guid executionId, IReadOnlyList<LimitDemand> demands, DateTime now, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult(TryAcquire(executionId, demands));
    }

    private bool TryAcquire(Guid executionId, IReadOnlyList<LimitDemand> demands)
    {
        if (demands.Any(d => Holders(d.Key).Count >= d.Capacity && !Holders(d.Key).Contains(executionId)))
            return false;
        foreach (var demand in demands)
            Holders(demand.Key).Add(executionId);
        return true;
    }

    private HashSet<Guid> Holders(string key) =>
        _held.TryGetValue(key, out var holders) ? holders : _held[key] = [];

    public Task<int> HeldByAsync(Guid executionId, CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult(_held.Values.Count(h => h.Contains(executionId)));
    }

    public Task EnqueueAsync(Guid executionId, IReadOnlyList<LimitDemand> demands, int priority, DateTime now, CancellationToken cancellationToken)
    {
        lock (_gate)
            foreach (var demand in demands.Where(d => !_waits.Any(w => w.Row.LimitKey == d.Key && w.Row.ExecutionId == executionId)))
                _waits.Add((new AdmissionWaitRow { LimitKey = demand.Key, ExecutionId = executionId, Capacity = demand.Capacity, Priority = priority, EnqueuedAt = now }, _sequence++));
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(Guid executionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var holders in _held.Values)
                holders.Remove(executionId);
            _waits.RemoveAll(w => w.Row.ExecutionId == executionId);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AdmittedExecution>> AdmitWaitingAsync(string key, DateTime now, DateTime leaseUntil, int passSize, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var heads = _waits.Where(w => w.Row.LimitKey == key)
                .OrderByDescending(w => w.Row.Priority).ThenBy(w => w.Sequence)
                .Take(passSize).Select(w => w.Row.ExecutionId).ToList();
            var admitted = new List<AdmittedExecution>();
            foreach (var executionId in heads)
            {
                var waits = _waits.Where(w => w.Row.ExecutionId == executionId).Select(w => w.Row).ToList();
                if (!TryAcquire(executionId, waits.Select(w => new LimitDemand(w.LimitKey, w.Capacity)).ToList()))
                    break;
                _waits.RemoveAll(w => w.Row.ExecutionId == executionId);
                admitted.Add(new AdmittedExecution(executionId, waits.Min(w => w.EnqueuedAt)));
            }
            return Task.FromResult<IReadOnlyList<AdmittedExecution>>(admitted);
        }
    }

    public Task<IReadOnlyList<string>> WaitingForAsync(Guid executionId, CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<string>>(_waits.Where(w => w.Row.ExecutionId == executionId).Select(w => w.Row.LimitKey).Order(StringComparer.Ordinal).ToList());
    }

    public Task<IReadOnlyList<string>> ReclaimExpiredAsync(DateTime now, DateTime leaseUntil, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    public Task<AdmissionSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult(new AdmissionSnapshot(
                _held.Where(h => h.Value.Count > 0).ToDictionary(h => h.Key, h => h.Value.Count, StringComparer.Ordinal),
                _waits.GroupBy(w => w.Row.LimitKey).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
                _waits.Select(w => w.Row.ExecutionId).Distinct().Count()));
    }
}
