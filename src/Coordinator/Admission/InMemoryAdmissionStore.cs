using Workflow.Messaging.Coordinator.Admission.Pools;

namespace Workflow.Messaging.Coordinator.Admission;

/// <summary>
/// Admission for a coordinator without a database (the Memory provider, component tests): the same
/// rules as <see cref="EfAdmissionStore"/> under one lock. Nothing outlives the process, so nothing
/// needs reclaiming.
/// </summary>
public sealed class InMemoryAdmissionStore(PoolGates? gates = null) : IAdmissionStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<AdmissionHolder>> _held = new(StringComparer.Ordinal);
    private readonly List<(AdmissionWaitRow Row, long Sequence)> _waits = [];
    private readonly Dictionary<string, List<DateTime>> _rateTaken = new(StringComparer.Ordinal);
    private long _sequence;

    public Task<bool> AnyWaitingAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult(_waits.Any(w => keys.Contains(w.Row.LimitKey)));
    }

    public Task<bool> TryAcquireAsync(AdmissionHolder holder, IReadOnlyList<LimitDemand> demands, DateTime now, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult(TryAcquire(holder, demands, now));
    }

    private bool TryAcquire(AdmissionHolder holder, IReadOnlyList<LimitDemand> demands, DateTime now)
    {
        // A pool bound is a gate: it holds no slot, it is open or not.
        if (gates is not null && demands.Any(d => PoolLimits.IsPoolKey(d.Key) && !gates.IsOpen(d.Key)))
            return false;
        var held = demands.Where(d => !d.IsRate && !PoolLimits.IsPoolKey(d.Key)).ToList();
        var rates = demands.Where(d => d.IsRate).ToList();
        if (held.Any(d => Holders(d.Key).Count >= d.Capacity && !Holders(d.Key).Contains(holder)))
            return false;
        if (rates.Any(d => RateTaken(d.Key).Count(until => until > now) >= d.Capacity))
            return false;
        foreach (var demand in held)
            Holders(demand.Key).Add(holder);
        foreach (var demand in rates)
        {
            var taken = RateTaken(demand.Key);
            taken.RemoveAll(until => until <= now);
            taken.Add(now + demand.Period!.Value);
        }
        return true;
    }

    private List<DateTime> RateTaken(string key) =>
        _rateTaken.TryGetValue(key, out var taken) ? taken : _rateTaken[key] = [];

    private readonly Dictionary<string, DateTime> _wakeAt = new(StringComparer.Ordinal);

    public Task<bool> ClaimWakeUpAsync(string key, DateTime at, DateTime now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_wakeAt.TryGetValue(key, out var pending) && pending > now && pending <= at)
                return Task.FromResult(false);
            _wakeAt[key] = at;
            return Task.FromResult(true);
        }
    }

    public Task<DateTime?> NextRateSlotAsync(string key, int capacity, DateTime now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var busy = RateTaken(key).Where(until => until > now).Order().ToList();
            return Task.FromResult<DateTime?>(busy.Count < capacity ? null : busy[busy.Count - capacity]);
        }
    }

    private HashSet<AdmissionHolder> Holders(string key) =>
        _held.TryGetValue(key, out var holders) ? holders : _held[key] = [];

    public Task<int> HeldByAsync(AdmissionHolder holder, CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult(_held.Values.Count(h => h.Contains(holder)));
    }

    public Task EnqueueAsync(AdmissionHolder holder, IReadOnlyList<LimitDemand> demands, int priority, DateTime now, ParkedDispatch? parked,
        CancellationToken cancellationToken)
    {
        lock (_gate)
            foreach (var demand in demands.Where(d => !_waits.Any(w => w.Row.LimitKey == d.Key && HolderOf(w.Row) == holder)))
                _waits.Add((new AdmissionWaitRow
                {
                    LimitKey = demand.Key, ExecutionId = holder.ExecutionId, Holder = holder.Attempt, Capacity = demand.Capacity, Priority = priority,
                    PeriodMs = demand.Period is { } period ? (long)period.TotalMilliseconds : null,
                    EnqueuedAt = now, Destination = parked?.Destination, Payload = parked?.Payload,
                }, _sequence++));
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(Guid executionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var holders in _held.Values)
                holders.RemoveWhere(h => h.ExecutionId == executionId);
            _waits.RemoveAll(w => w.Row.ExecutionId == executionId);
        }
        return Task.CompletedTask;
    }

    public Task ReleaseHolderAsync(AdmissionHolder holder, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var holders in _held.Values)
                holders.Remove(holder);
            _waits.RemoveAll(w => HolderOf(w.Row) == holder);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AdmittedHolder>> AdmitWaitingAsync(string key, DateTime now, DateTime leaseUntil, int passSize, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var heads = _waits.Where(w => w.Row.LimitKey == key)
                .OrderByDescending(w => w.Row.Priority).ThenBy(w => w.Sequence)
                .Take(passSize).Select(w => HolderOf(w.Row)).ToList();
            var admitted = new List<AdmittedHolder>();
            foreach (var holder in heads)
            {
                var waits = _waits.Where(w => HolderOf(w.Row) == holder).Select(w => w.Row).ToList();
                if (waits.Count == 0)
                    continue;
                if (!TryAcquire(holder, waits.Select(w => new LimitDemand(w.LimitKey, w.Capacity, w.PeriodMs is long ms ? TimeSpan.FromMilliseconds(ms) : null)).ToList(), now))
                    break;
                _waits.RemoveAll(w => HolderOf(w.Row) == holder);
                var first = waits[0];
                admitted.Add(new AdmittedHolder(holder, waits.Min(w => w.EnqueuedAt),
                    first.Payload is null ? null : new ParkedDispatch(first.Destination!, first.Payload)));
            }
            return Task.FromResult<IReadOnlyList<AdmittedHolder>>(admitted);
        }
    }

    public Task<IReadOnlyList<string>> WaitingForAsync(Guid executionId, CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<string>>(_waits.Where(w => w.Row.ExecutionId == executionId).Select(w => w.Row.LimitKey)
                .Distinct().Order(StringComparer.Ordinal).ToList());
    }

    public Task<IReadOnlyList<string>> ReclaimExpiredAsync(DateTime now, DateTime leaseUntil, DateTime heardSince, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    public Task<AdmissionSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult(new AdmissionSnapshot(
                _held.Where(h => h.Value.Count > 0).ToDictionary(h => h.Key, h => h.Value.Count, StringComparer.Ordinal),
                _waits.GroupBy(w => w.Row.LimitKey).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
                _waits.Where(w => w.Row.Holder.Length == 0).Select(w => w.Row.ExecutionId).Distinct().Count()));
    }

    private static AdmissionHolder HolderOf(AdmissionWaitRow row) => new(row.ExecutionId, row.Holder);
}
