using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Workflow.Messaging.Coordinator.Admission.Pools;
using Workflow.Messaging.Coordinator.Attempts;
using Workflow.Messaging.Coordinator.Persistence;
using Workflow.Messaging.Persistence;

namespace Workflow.Messaging.Coordinator.Admission;

// Every SQL text here is built from constants (table names, a dialect's lock clause); values are parameters.
#pragma warning disable EF1002, EF1003

/// <summary>
/// Slots and queues in the coordinator's database (PostgreSQL or SQLite). PostgreSQL takes a free
/// slot with FOR UPDATE SKIP LOCKED, so concurrent claims on one limit take different rows and
/// never wait for each other; SQLite serializes writers, so the statement alone is the claim.
/// </summary>
public sealed class EfAdmissionStore(CoordinatorDbContext db, PoolGates gates) : IAdmissionStore
{
    private const string Slots = $"\"{AdmissionModel.Slots}\"";
    private const string Limits = $"\"{AdmissionModel.Limits}\"";

    private bool RowLocks => DatabaseDialect.For(db) == DatabaseDialect.Postgres;

    public Task<bool> AnyWaitingAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        Waits.AnyAsync(w => keys.Contains(w.LimitKey), cancellationToken);

    public async Task<bool> TryAcquireAsync(AdmissionHolder holder, IReadOnlyList<LimitDemand> demands, DateTime now, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        // A pool bound is a gate (this coordinator's last reading), not a slot: no statement.
        if (demands.Any(d => PoolLimits.IsPoolKey(d.Key) && !gates.IsOpen(d.Key)))
            return false;
        // Rates last: a start is counted only once every concurrency slot is held.
        foreach (var demand in demands.Where(d => !PoolLimits.IsPoolKey(d.Key)).OrderBy(d => d.IsRate))
        {
            if (await ClaimAsync(demand, holder, now, leaseUntil, cancellationToken))
                continue;
            // All or nothing: slots taken for the earlier demands go back.
            await ReleaseSlotsAsync(holder, cancellationToken);
            return false;
        }
        return true;
    }

    private async Task<bool> ClaimAsync(LimitDemand demand, AdmissionHolder holder, DateTime now, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        Func<Task<bool>> claim = demand.Period is { } period
            ? () => ClaimRateSlotAsync(demand, now, period, cancellationToken)
            : () => ClaimFreeSlotAsync(demand, holder, now, leaseUntil, cancellationToken);
        if (await claim())
            return true;
        // Slot rows are made on first need (and when a capacity grows), not for every key up front.
        var highest = await SlotRows.Where(s => s.LimitKey == demand.Key).MaxAsync(s => (int?)s.Slot, cancellationToken) ?? -1;
        if (highest + 1 >= demand.Capacity)
            return false;
        await db.Database.ExecuteSqlRawAsync(
            $"WITH RECURSIVE n(i) AS (SELECT {{1}} UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {{2}}) " +
            $"INSERT INTO {Slots} (\"LimitKey\", \"Slot\") SELECT {{0}}, i FROM n WHERE true ON CONFLICT DO NOTHING",
            [demand.Key, highest + 1, demand.Capacity], cancellationToken);
        return await claim();
    }

    // A rate's slot has no holder: a start takes it for one period, after which it is free again by
    // itself. At most Capacity starts fall in any window of one period.
    private async Task<bool> ClaimRateSlotAsync(LimitDemand demand, DateTime now, TimeSpan period, CancellationToken cancellationToken)
    {
        var skipLocked = RowLocks ? " FOR UPDATE SKIP LOCKED" : "";
        var claimed = await db.Database.ExecuteSqlRawAsync(
            $"UPDATE {Slots} SET \"HeldSince\" = {{0}}, \"LeaseUntil\" = {{1}} " +
            $"WHERE (\"LimitKey\", \"Slot\") IN (SELECT \"LimitKey\", \"Slot\" FROM {Slots} " +
            $"WHERE \"LimitKey\" = {{2}} AND \"Slot\" < {{3}} AND \"ExecutionId\" IS NULL AND (\"LeaseUntil\" IS NULL OR \"LeaseUntil\" <= {{0}}) " +
            $"ORDER BY \"Slot\" LIMIT 1{skipLocked})",
            [now, now + period, demand.Key, demand.Capacity], cancellationToken);
        return claimed == 1;
    }

    public async Task<bool> ClaimWakeUpAsync(string key, DateTime at, DateTime now, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlRawAsync(
            $"INSERT INTO {Limits} AS l (\"LimitKey\", \"LastPassAt\", \"WakeAt\") VALUES ({{0}}, {{1}}, {{2}}) " +
            "ON CONFLICT (\"LimitKey\") DO UPDATE SET \"WakeAt\" = excluded.\"WakeAt\" " +
            "WHERE l.\"WakeAt\" IS NULL OR l.\"WakeAt\" <= {1} OR l.\"WakeAt\" > excluded.\"WakeAt\"",
            [key, now, at], cancellationToken) == 1;

    public async Task<DateTime?> NextRateSlotAsync(string key, int capacity, DateTime now, CancellationToken cancellationToken)
    {
        var busy = SlotRows.AsNoTracking().Where(s => s.LimitKey == key && s.Slot < capacity && s.ExecutionId == null);
        if (await busy.AnyAsync(s => s.LeaseUntil == null || s.LeaseUntil <= now, cancellationToken))
            return null;
        return await busy.MinAsync(s => s.LeaseUntil, cancellationToken);
    }

    // Only slots below the capacity the claimer asks for count, so lowering a capacity takes effect
    // as the higher slots are given back.
    private async Task<bool> ClaimFreeSlotAsync(LimitDemand demand, AdmissionHolder holder, DateTime now, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        var skipLocked = RowLocks ? " FOR UPDATE SKIP LOCKED" : "";
        var claimed = await db.Database.ExecuteSqlRawAsync(
            $"UPDATE {Slots} SET \"ExecutionId\" = {{0}}, \"Holder\" = {{1}}, \"HeldSince\" = {{2}}, \"LeaseUntil\" = {{3}} " +
            $"WHERE (\"LimitKey\", \"Slot\") IN (SELECT \"LimitKey\", \"Slot\" FROM {Slots} " +
            $"WHERE \"LimitKey\" = {{4}} AND \"Slot\" < {{5}} AND \"ExecutionId\" IS NULL ORDER BY \"Slot\" LIMIT 1{skipLocked})",
            [holder.ExecutionId, holder.Attempt, now, leaseUntil, demand.Key, demand.Capacity], cancellationToken);
        return claimed == 1;
    }

    public Task<int> HeldByAsync(AdmissionHolder holder, CancellationToken cancellationToken) =>
        SlotRows.CountAsync(s => s.ExecutionId == holder.ExecutionId && s.Holder == holder.Attempt, cancellationToken);

    public async Task EnqueueAsync(AdmissionHolder holder, IReadOnlyList<LimitDemand> demands, int priority, DateTime now, ParkedDispatch? parked,
        CancellationToken cancellationToken)
    {
        foreach (var demand in demands)
            await db.Database.ExecuteSqlRawAsync(
                $"INSERT INTO \"{AdmissionModel.Waits}\" (\"LimitKey\", \"ExecutionId\", \"Holder\", \"Capacity\", \"Priority\", \"EnqueuedAt\", \"Destination\", \"Payload\", \"PeriodMs\") " +
                "VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}) ON CONFLICT DO NOTHING",
                [demand.Key, holder.ExecutionId, holder.Attempt, demand.Capacity, priority, now, parked?.Destination ?? "", parked?.Payload ?? "",
                    (long)(demand.Period?.TotalMilliseconds ?? -1)], cancellationToken);
    }

    public async Task ReleaseAsync(Guid executionId, CancellationToken cancellationToken)
    {
        await SlotRows.Where(s => s.ExecutionId == executionId).ExecuteUpdateAsync(Free, cancellationToken);
        await Waits.Where(w => w.ExecutionId == executionId).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task ReleaseHolderAsync(AdmissionHolder holder, CancellationToken cancellationToken)
    {
        await ReleaseSlotsAsync(holder, cancellationToken);
        await Waits.Where(w => w.ExecutionId == holder.ExecutionId && w.Holder == holder.Attempt).ExecuteDeleteAsync(cancellationToken);
    }

    private Task ReleaseSlotsAsync(AdmissionHolder holder, CancellationToken cancellationToken) =>
        SlotRows.Where(s => s.ExecutionId == holder.ExecutionId && s.Holder == holder.Attempt).ExecuteUpdateAsync(Free, cancellationToken);

    private static void Free(UpdateSettersBuilder<LimitSlotRow> slot) => slot
        .SetProperty(x => x.ExecutionId, (Guid?)null)
        .SetProperty(x => x.Holder, (string?)null)
        .SetProperty(x => x.HeldSince, (DateTime?)null)
        .SetProperty(x => x.LeaseUntil, (DateTime?)null);

    public async Task<IReadOnlyList<AdmittedHolder>> AdmitWaitingAsync(string key, DateTime now, DateTime leaseUntil, int passSize, CancellationToken cancellationToken)
    {
        // The per-limit turn: an upsert locks this key's row until the pass commits.
        await db.Database.ExecuteSqlRawAsync(
            $"INSERT INTO {Limits} (\"LimitKey\", \"LastPassAt\") VALUES ({{0}}, {{1}}) " +
            "ON CONFLICT (\"LimitKey\") DO UPDATE SET \"LastPassAt\" = excluded.\"LastPassAt\"",
            [key, now], cancellationToken);
        var heads = await Waits.AsNoTracking()
            .Where(w => w.LimitKey == key)
            .OrderByDescending(w => w.Priority).ThenBy(w => w.EnqueuedAt).ThenBy(w => w.ExecutionId).ThenBy(w => w.Holder)
            .Take(passSize)
            .Select(w => new { w.ExecutionId, w.Holder })
            .ToListAsync(cancellationToken);

        var admitted = new List<AdmittedHolder>();
        foreach (var head in heads)
        {
            var holder = new AdmissionHolder(head.ExecutionId, head.Holder);
            // The holder may wait for other limits too, whose passes may look at it at the same
            // time: its wait rows are locked, and gone if another pass admitted it meanwhile.
            var waits = await LockWaitsAsync(holder, cancellationToken);
            if (waits.Count == 0)
                continue;
            var demands = waits.Select(w => new LimitDemand(w.LimitKey, w.Capacity, w.PeriodMs is long ms && ms > 0 ? TimeSpan.FromMilliseconds(ms) : null)).ToList();
            if (!await TryAcquireAsync(holder, demands, now, leaseUntil, cancellationToken))
                break;
            await Waits.Where(w => w.ExecutionId == holder.ExecutionId && w.Holder == holder.Attempt).ExecuteDeleteAsync(cancellationToken);
            var first = waits[0];
            admitted.Add(new AdmittedHolder(holder, waits.Min(w => w.EnqueuedAt),
                string.IsNullOrEmpty(first.Payload) ? null : new ParkedDispatch(first.Destination!, first.Payload)));
        }
        return admitted;
    }

    private Task<List<AdmissionWaitRow>> LockWaitsAsync(AdmissionHolder holder, CancellationToken cancellationToken) =>
        Waits.FromSqlRaw(
                $"SELECT * FROM \"{AdmissionModel.Waits}\" WHERE \"ExecutionId\" = {{0}} AND \"Holder\" = {{1}} ORDER BY \"LimitKey\"{(RowLocks ? " FOR UPDATE" : "")}",
                holder.ExecutionId, holder.Attempt)
            .AsNoTracking()
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<string>> WaitingForAsync(Guid executionId, CancellationToken cancellationToken) =>
        await Waits.AsNoTracking().Where(w => w.ExecutionId == executionId).Select(w => w.LimitKey).Distinct().OrderBy(k => k).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<string>> ReclaimExpiredAsync(DateTime now, DateTime leaseUntil, DateTime heardSince, CancellationToken cancellationToken)
    {
        // A queued execution is alive too: its AdmitExecution may still be on its way. An attempt is
        // alive while the tracker hears from it (NodeStarted, heartbeats) and its result is not in.
        const string executionAlive = "SELECT 1 FROM \"workflow_executions\" e WHERE e.\"CorrelationId\" = s.\"ExecutionId\" " +
                                      "AND e.\"CurrentState\" IN ('Running', 'Paused', 'Queued')";
        const string attemptAlive = $"SELECT 1 FROM \"{NodeAttemptModel.Table}\" a WHERE a.\"ExecutionId\" = s.\"ExecutionId\" " +
                                    "AND a.\"EndedAt\" IS NULL AND a.\"LastSeenAt\" >= {1} " +
                                    "AND a.\"NodeId\" || ':' || CAST(a.\"Attempt\" AS TEXT) || ':' || " +
                                    "(CASE WHEN a.\"ItemIndex\" = -1 THEN '-' ELSE CAST(a.\"ItemIndex\" AS TEXT) END) = s.\"Holder\"";
        var freed = await db.Database.SqlQueryRaw<string>(
                $"UPDATE {Slots} AS s SET \"ExecutionId\" = NULL, \"Holder\" = NULL, \"HeldSince\" = NULL, \"LeaseUntil\" = NULL " +
                $"WHERE s.\"ExecutionId\" IS NOT NULL AND s.\"LeaseUntil\" < {{0}} " +
                $"AND (NOT EXISTS ({executionAlive}) OR (s.\"Holder\" <> '' AND NOT EXISTS ({attemptAlive}))) RETURNING \"LimitKey\" AS \"Value\"",
                now, heardSince)
            .ToListAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync(
            $"UPDATE {Slots} AS s SET \"LeaseUntil\" = {{1}} WHERE s.\"ExecutionId\" IS NOT NULL AND s.\"LeaseUntil\" < {{0}}",
            [now, leaseUntil], cancellationToken);
        return freed.Distinct(StringComparer.Ordinal).ToList();
    }

    public async Task<AdmissionSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var inUse = await SlotRows.AsNoTracking().Where(s => s.ExecutionId != null)
            .GroupBy(s => s.LimitKey).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var queued = await Waits.AsNoTracking()
            .GroupBy(w => w.LimitKey).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var executions = await Waits.AsNoTracking().Where(w => w.Holder == "").Select(w => w.ExecutionId).Distinct().CountAsync(cancellationToken);
        return new AdmissionSnapshot(
            inUse.ToDictionary(x => x.Key, x => x.Count, StringComparer.Ordinal),
            queued.ToDictionary(x => x.Key, x => x.Count, StringComparer.Ordinal),
            executions);
    }

    private DbSet<LimitSlotRow> SlotRows => db.Set<LimitSlotRow>();
    private DbSet<AdmissionWaitRow> Waits => db.Set<AdmissionWaitRow>();
}
#pragma warning restore EF1002, EF1003
