using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Workflow.Messaging.Persistence;

/// <summary>Inserts or locks the inbox row of one (MessageId, ConsumerId) inside the caller's transaction.</summary>
static class InboxLock
{
    /// <summary>
    /// PostgreSQL: one upsert that inserts the row or, for a redelivery, counts the receive and
    /// takes the row lock (<c>ON CONFLICT DO UPDATE</c> locks the conflicting row, so two copies of
    /// one message queue on it instead of racing on the unique key) and returns the row either way:
    /// one round trip where an insert, a locking select and a later update took three. SQLite: the
    /// write transaction already excludes every other writer, a plain read is enough.
    /// The returned row already carries its new receive count and lock id.
    /// </summary>
    public static async Task<InboxState> InsertOrLock(DbContext dbContext, DatabaseDialect dialect, Guid messageId, Guid consumerId,
        CancellationToken cancellationToken)
    {
        if (dialect.SupportsRowLocks)
        {
            var rows = await dbContext.Set<InboxState>()
                .FromSqlRaw(UpsertSql(dbContext), messageId, consumerId, NewId.NextGuid(), DateTime.UtcNow)
                .AsTracking()
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.Count == 1 ? rows[0] : throw new InvalidOperationException($"Inbox row {messageId}/{consumerId} was not returned by its upsert.");
        }

        var inbox = await Lock(dbContext, dialect, messageId, consumerId, cancellationToken).ConfigureAwait(false);
        if (inbox != null)
        {
            inbox.ReceiveCount++;
            inbox.LockId = NewId.NextGuid();
            return inbox;
        }

        inbox = new InboxState { MessageId = messageId, ConsumerId = consumerId, LockId = NewId.NextGuid(), Received = DateTime.UtcNow, ReceiveCount = 1 };
        dbContext.Add(inbox);
        await dbContext.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return inbox;
    }

    static string UpsertSql(DbContext dbContext)
    {
        var entityType = dbContext.Model.FindEntityType(typeof(InboxState))!;
        string Column(string name) => DatabaseDialect.Column(entityType, name);
        var table = DatabaseDialect.Table(entityType);
        var receiveCount = Column(nameof(InboxState.ReceiveCount));
        var lockId = Column(nameof(InboxState.LockId));
        return $"INSERT INTO {table} AS i ({Column(nameof(InboxState.MessageId))}, {Column(nameof(InboxState.ConsumerId))}, "
            + $"{lockId}, {Column(nameof(InboxState.Received))}, {receiveCount}) "
            + $"VALUES ({{0}}, {{1}}, {{2}}, {{3}}, 1) ON CONFLICT ({Column(nameof(InboxState.MessageId))}, "
            + $"{Column(nameof(InboxState.ConsumerId))}) DO UPDATE SET {receiveCount} = i.{receiveCount} + 1, {lockId} = EXCLUDED.{lockId} "
            + "RETURNING *";
    }

    public static Task<InboxState?> Lock(DbContext dbContext, DatabaseDialect dialect, Guid messageId, Guid consumerId,
        CancellationToken cancellationToken)
    {
        if (!dialect.SupportsRowLocks)
        {
            return dbContext.Set<InboxState>().AsTracking()
                .SingleOrDefaultAsync(x => x.MessageId == messageId && x.ConsumerId == consumerId, cancellationToken);
        }

        var entityType = dbContext.Model.FindEntityType(typeof(InboxState))!;
        var sql = $"SELECT * FROM {DatabaseDialect.Table(entityType)} "
            + $"WHERE {DatabaseDialect.Column(entityType, nameof(InboxState.MessageId))} = {{0}} "
            + $"AND {DatabaseDialect.Column(entityType, nameof(InboxState.ConsumerId))} = {{1}} FOR UPDATE";

        return dbContext.Set<InboxState>().FromSqlRaw(sql, messageId, consumerId).AsTracking()
            .SingleOrDefaultAsync(cancellationToken);
    }
}
