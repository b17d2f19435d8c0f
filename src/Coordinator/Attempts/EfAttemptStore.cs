using System.Text;
using Microsoft.EntityFrameworkCore;
using Workflow.Messaging.Coordinator.Persistence;
using Workflow.Messaging.Persistence;

namespace Workflow.Messaging.Coordinator.Attempts;

/// <summary>
/// Attempts in the coordinator's database (PostgreSQL or SQLite; the SQL below is valid on both
/// except for the row locks PostgreSQL needs to share the watchdog's work). Each operation is one
/// statement. Writes made from a saga step run inside the step's transaction.
/// </summary>
public sealed class EfAttemptStore(CoordinatorDbContext db) : IAttemptStore
{
    private const string Table = $"\"{NodeAttemptModel.Table}\"";
    private const string Key = "\"ExecutionId\", \"NodeId\", \"ItemIndex\", \"Attempt\"";

    // Monotonic: the latest worker wins, the first start time stays, last-seen only moves forward,
    // and a tombstone (EndedAt) is never cleared, so replaying a batch in any order is harmless.
    public Task RecordAsync(IReadOnlyCollection<AttemptSignal> signals, CancellationToken cancellationToken)
    {
        if (signals.Count == 0)
            return Task.CompletedTask;
        // One row per attempt (PostgreSQL refuses to upsert one row twice in a statement), in key
        // order so two concurrent batches lock shared rows in the same order and cannot deadlock.
        var rows = signals
            .GroupBy(s => s.Attempt)
            .Select(g => new AttemptSignal(g.Key, g.MaxBy(s => s.SeenAt)!.WorkerId, g.Min(s => s.StartedAt), g.Max(s => s.SeenAt)))
            .OrderBy(s => s.Attempt.ExecutionId).ThenBy(s => s.Attempt.NodeId, StringComparer.Ordinal)
            .ThenBy(s => s.Attempt.ItemIndex).ThenBy(s => s.Attempt.Attempt)
            .ToList();

        var sql = new StringBuilder($"INSERT INTO {Table} ({Key}, \"WorkerId\", \"StartedAt\", \"LastSeenAt\") VALUES ");
        var parameters = new List<object>(rows.Count * 7);
        foreach (var row in rows)
        {
            sql.Append(parameters.Count == 0 ? "(" : ", (");
            // A start time only when known: a literal NULL, not an untyped null parameter PostgreSQL cannot type.
            object?[] values = [row.Attempt.ExecutionId, row.Attempt.NodeId, IndexOf(row.Attempt), row.Attempt.Attempt, row.WorkerId, row.StartedAt, row.SeenAt];
            for (var i = 0; i < values.Length; i++)
            {
                if (i > 0)
                    sql.Append(", ");
                if (values[i] is not { } value)
                {
                    sql.Append("NULL");
                    continue;
                }
                sql.Append('{').Append(parameters.Count).Append('}');
                parameters.Add(value);
            }
            sql.Append(')');
        }
        sql.Append($" ON CONFLICT ({Key}) DO UPDATE SET \"WorkerId\" = excluded.\"WorkerId\", ")
            .Append($"\"StartedAt\" = COALESCE({Table}.\"StartedAt\", excluded.\"StartedAt\"), ")
            .Append($"\"LastSeenAt\" = CASE WHEN excluded.\"LastSeenAt\" > {Table}.\"LastSeenAt\" THEN excluded.\"LastSeenAt\" ELSE {Table}.\"LastSeenAt\" END");
        return db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken);
    }

    public Task EndAsync(AttemptKey attempt, DateTime now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(
            $"INSERT INTO {Table} ({Key}, \"LastSeenAt\", \"EndedAt\") VALUES ({{0}}, {{1}}, {{2}}, {{3}}, {{4}}, {{5}}) " +
            $"ON CONFLICT ({Key}) DO UPDATE SET \"EndedAt\" = COALESCE({Table}.\"EndedAt\", excluded.\"EndedAt\")",
            [attempt.ExecutionId, attempt.NodeId, IndexOf(attempt), attempt.Attempt, now, now], cancellationToken);

    public Task ForgetAsync(AttemptKey attempt, CancellationToken cancellationToken)
    {
        var index = IndexOf(attempt);
        return Rows.Where(r => r.ExecutionId == attempt.ExecutionId && r.NodeId == attempt.NodeId && r.ItemIndex == index && r.Attempt == attempt.Attempt)
            .ExecuteDeleteAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AttemptKey>> HeardFromSinceAsync(Guid executionId, DateTime since, CancellationToken cancellationToken)
    {
        var rows = await Rows.AsNoTracking()
            .Where(r => r.ExecutionId == executionId && r.EndedAt == null && r.LastSeenAt >= since)
            .ToListAsync(cancellationToken);
        return rows.Select(KeyOf).ToList();
    }

    public async Task<IReadOnlyList<SilentAttempt>> ClaimSilentAsync(DateTime silentSince, DateTime now, int limit, CancellationToken cancellationToken)
    {
        // PostgreSQL: rows another coordinator is claiming right now are skipped, not waited for.
        // SQLite serializes writers, so the statement alone is the claim.
        var skipLocked = DatabaseDialect.For(db) == DatabaseDialect.Postgres ? " FOR UPDATE SKIP LOCKED" : "";
        var sql = $"UPDATE {Table} SET \"ReportedAt\" = {{0}} WHERE ({Key}) IN (" +
                  $"SELECT {Key} FROM {Table} WHERE \"EndedAt\" IS NULL AND \"LastSeenAt\" < {{1}} " +
                  $"AND (\"ReportedAt\" IS NULL OR \"ReportedAt\" < {{2}}) ORDER BY \"LastSeenAt\" LIMIT {{3}}{skipLocked}) " +
                  $"RETURNING {Key}, \"WorkerId\", \"StartedAt\", \"LastSeenAt\", \"EndedAt\", \"ReportedAt\"";
        var rows = await Rows.FromSqlRaw(sql, now, silentSince, silentSince, limit).AsNoTracking().ToListAsync(cancellationToken);
        return rows.Select(r => new SilentAttempt(KeyOf(r), r.WorkerId, r.LastSeenAt)).ToList();
    }

    public Task<int> DeleteEndedAsync(DateTime endedBefore, CancellationToken cancellationToken) =>
        Rows.Where(r => r.EndedAt < endedBefore).ExecuteDeleteAsync(cancellationToken);

    private DbSet<NodeAttemptRow> Rows => db.Set<NodeAttemptRow>();

    private static int IndexOf(AttemptKey attempt) => attempt.ItemIndex ?? NodeAttemptRow.WholeNode;

    private static AttemptKey KeyOf(NodeAttemptRow row) =>
        new(row.ExecutionId, row.NodeId, row.ItemIndex == NodeAttemptRow.WholeNode ? null : row.ItemIndex, row.Attempt);
}
