using Microsoft.EntityFrameworkCore;
using Workflow.Messaging.Coordinator.Persistence;
using Workflow.Messaging.Persistence;

namespace Workflow.Messaging.Coordinator.Admission;

/// <summary>
/// Slots and queues in the coordinator's database (PostgreSQL or SQLite). PostgreSQL takes a free
/// slot with FOR UPDATE SKIP LOCKED, so concurrent claims on one limit take different rows and
/// never wait for each other; SQLite serializes writers, so the statement alone is the claim.
/// </summary>
// Every SQL text here is built from constants (table names, a dialect's lock clause); values are parameters.
#pragma warning disable EF1002, EF1003
public sealed class EfAdmissionStore(CoordinatorDbContext db) : IAdmissionStore
{
    private const string Slots = $"\"{AdmissionModel.Slots}\"";
    private const string Limits = $"\"{AdmissionModel.Limits}\"";

    private bool RowLocks => DatabaseDialect.For(db) == DatabaseDialect.Postgres;

    public Task<bool> AnyWaitingAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        Waits.AnyAsync(w => keys.Contains(w.LimitKey), cancellationToken);

    public async Task<bool> TryAcquireAsync(Guid executionId, IReadOnlyList<LimitDemand> demands, DateTime now, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        foreach (var demand in demands)
        {
            if (await ClaimAsync(demand, executionId, now, leaseUntil, cancellationToken))
                continue;
            // All or nothing: slots taken for the earlier demands go back.
            await ReleaseSlotsAsync(executionId, cancellationToken);
            return false;
        }
        return true;
    }

    private async Task<bool> ClaimAsync(LimitDemand demand, Guid executionId, DateTime now, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        if (await ClaimFreeSlotAsync(demand, executionId, now, leaseUntil, cancellationToken))
            return true;
        // Slot rows are made on first need (and when a capacity grows), not for every key up front.
        var highest = await SlotRows.Where(s => s.LimitKey == demand.Key).MaxAsync(s => (int?)s.Slot, cancellationToken) ?? -1;
        if (highest + 1 >= demand.Capacity)
            return false;
        await db.Database.ExecuteSqlRawAsync(
            $"WITH RECURSIVE n(i) AS (SELECT {{1}} UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {{2}}) " +
            $"INSERT INTO {Slots} (\"LimitKey\", \"Slot\") SELECT {{0}}, i FROM n WHERE true ON CONFLICT DO NOTHING",
            [demand.Key, highest + 1, demand.Capacity], cancellationToken);
        return await ClaimFreeSlotAsync(demand, executionId, now, leaseUntil, cancellationToken);
    }

    // Only slots below the capacity the claimer asks for count, so lowering a capacity takes effect
    // as the higher slots are given back.
    private async Task<bool> ClaimFreeSlotAsync(LimitDemand demand, Guid executionId, DateTime now, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        var skipLocked = RowLocks ? " FOR UPDATE SKIP LOCKED" : "";
        var claimed = await db.Database.ExecuteSqlRawAsync(
            $"UPDATE {Slots} SET \"ExecutionId\" = {{0}}, \"HeldSince\" = {{1}}, \"LeaseUntil\" = {{2}} " +
            $"WHERE (\"LimitKey\", \"Slot\") IN (SELECT \"LimitKey\", \"Slot\" FROM {Slots} " +
            $"WHERE \"LimitKey\" = {{3}} AND \"Slot\" < {{4}} AND \"ExecutionId\" IS NULL ORDER BY \"Slot\" LIMIT 1{skipLocked})",
            [executionId, now, leaseUntil, demand.Key, demand.Capacity], cancellationToken);
        return claimed == 1;
    }

    public Task<int> HeldByAsync(Guid executionId, CancellationToken cancellationToken) =>
        SlotRows.CountAsync(s => s.ExecutionId == executionId, cancellationToken);

    public async Task EnqueueAsync(Guid executionId, IReadOnlyList<LimitDemand> demands, int priority, DateTime now, CancellationToken cancellationToken)
    {
        foreach (var demand in demands)
            await db.Database.ExecuteSqlRawAsync(
                $"INSERT INTO \"{AdmissionModel.Waits}\" (\"LimitKey\", \"ExecutionId\", \"Capacity\", \"Priority\", \"EnqueuedAt\") " +
                "VALUES ({0}, {1}, {2}, {3}, {4}) ON CONFLICT DO NOTHING",
                [demand.Key, executionId, demand.Capacity, priority, now], cancellationToken);
    }

    public async Task ReleaseAsync(Guid executionId, CancellationToken cancellationToken)
    {
        await ReleaseSlotsAsync(executionId, cancellationToken);
        await Waits.Where(w => w.ExecutionId == executionId).ExecuteDeleteAsync(cancellationToken);
    }

    private Task ReleaseSlotsAsync(Guid executionId, CancellationToken cancellationToken) =>
        SlotRows.Where(s => s.ExecutionId == executionId).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.ExecutionId, (Guid?)null)
            .SetProperty(x => x.HeldSince, (DateTime?)null)
            .SetProperty(x => x.LeaseUntil, (DateTime?)null), cancellationToken);

    public async Task<IReadOnlyList<AdmittedExecution>> AdmitWaitingAsync(string key, DateTime now, DateTime leaseUntil, int passSize, CancellationToken cancellationToken)
    {
        // The per-limit turn: an upsert locks this key's row until the pass commits.
        await db.Database.ExecuteSqlRawAsync(
            $"INSERT INTO {Limits} (\"LimitKey\", \"LastPassAt\") VALUES ({{0}}, {{1}}) " +
            "ON CONFLICT (\"LimitKey\") DO UPDATE SET \"LastPassAt\" = excluded.\"LastPassAt\"",
            [key, now], cancellationToken);
        var heads = await Waits.AsNoTracking()
            .Where(w => w.LimitKey == key)
            .OrderByDescending(w => w.Priority).ThenBy(w => w.EnqueuedAt).ThenBy(w => w.ExecutionId)
            .Take(passSize)
            .Select(w => w.ExecutionId)
            .ToListAsync(cancellationToken);

        var admitted = new List<AdmittedExecution>();
        foreach (var executionId in heads)
        {
            // The execution may wait for other limits too, whose passes may look at it at the same
            // time: its wait rows are locked, and gone if another pass admitted it meanwhile.
            var waits = await LockWaitsAsync(executionId, cancellationToken);
            if (waits.Count == 0)
                continue;
            var demands = waits.Select(w => new LimitDemand(w.LimitKey, w.Capacity)).ToList();
            if (!await TryAcquireAsync(executionId, demands, now, leaseUntil, cancellationToken))
                break;
            await Waits.Where(w => w.ExecutionId == executionId).ExecuteDeleteAsync(cancellationToken);
            admitted.Add(new AdmittedExecution(executionId, waits.Min(w => w.EnqueuedAt)));
        }
        return admitted;
    }

    private Task<List<AdmissionWaitRow>> LockWaitsAsync(Guid executionId, CancellationToken cancellationToken) =>
        Waits.FromSqlRaw(
                $"SELECT * FROM \"{AdmissionModel.Waits}\" WHERE \"ExecutionId\" = {{0}} ORDER BY \"LimitKey\"{(RowLocks ? " FOR UPDATE" : "")}",
                executionId)
            .AsNoTracking()
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<string>> WaitingForAsync(Guid executionId, CancellationToken cancellationToken) =>
        await Waits.AsNoTracking().Where(w => w.ExecutionId == executionId).OrderBy(w => w.LimitKey).Select(w => w.LimitKey).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<string>> ReclaimExpiredAsync(DateTime now, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        // A queued holder is alive too: its AdmitExecution may still be on its way.
        const string alive = "SELECT 1 FROM \"workflow_executions\" e WHERE e.\"CorrelationId\" = s.\"ExecutionId\" " +
                             "AND e.\"CurrentState\" IN ('Running', 'Paused', 'Queued')";
        var freed = await db.Database.SqlQueryRaw<string>(
                $"UPDATE {Slots} AS s SET \"ExecutionId\" = NULL, \"HeldSince\" = NULL, \"LeaseUntil\" = NULL " +
                $"WHERE s.\"ExecutionId\" IS NOT NULL AND s.\"LeaseUntil\" < {{0}} AND NOT EXISTS ({alive}) RETURNING \"LimitKey\" AS \"Value\"",
                now)
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
        var executions = await Waits.AsNoTracking().Select(w => w.ExecutionId).Distinct().CountAsync(cancellationToken);
        return new AdmissionSnapshot(
            inUse.ToDictionary(x => x.Key, x => x.Count, StringComparer.Ordinal),
            queued.ToDictionary(x => x.Key, x => x.Count, StringComparer.Ordinal),
            executions);
    }

    private DbSet<LimitSlotRow> SlotRows => db.Set<LimitSlotRow>();
    private DbSet<AdmissionWaitRow> Waits => db.Set<AdmissionWaitRow>();
}
#pragma warning restore EF1002, EF1003
