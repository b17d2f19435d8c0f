using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Workflow.Messaging.Persistence;

/// <summary>Inserts or locks the inbox row of one (MessageId, ConsumerId) inside the caller's transaction.</summary>
static class InboxLock
{
    /// <summary>
    /// PostgreSQL: INSERT ... ON CONFLICT DO NOTHING, then SELECT ... FOR UPDATE, so two copies of
    /// one message queue on the row instead of racing on the unique key. SQLite: the write
    /// transaction already excludes every other writer, a plain read is enough.
    /// </summary>
    public static async Task<InboxState> InsertOrLock(DbContext dbContext, DatabaseDialect dialect, Guid messageId, Guid consumerId,
        CancellationToken cancellationToken)
    {
        if (dialect.SupportsRowLocks)
        {
            var entityType = dbContext.Model.FindEntityType(typeof(InboxState))!;
            string Column(string name) => DatabaseDialect.Column(entityType, name);
            var table = DatabaseDialect.Table(entityType);

            var insert = $"INSERT INTO {table} ({Column(nameof(InboxState.MessageId))}, {Column(nameof(InboxState.ConsumerId))}, "
                + $"{Column(nameof(InboxState.LockId))}, {Column(nameof(InboxState.Received))}, {Column(nameof(InboxState.ReceiveCount))}) "
                + $"VALUES ({{0}}, {{1}}, {{2}}, {{3}}, 0) ON CONFLICT ({Column(nameof(InboxState.MessageId))}, "
                + $"{Column(nameof(InboxState.ConsumerId))}) DO NOTHING";

            await dbContext.Database.ExecuteSqlRawAsync(insert,
                [messageId, consumerId, NewId.NextGuid(), DateTime.UtcNow], cancellationToken).ConfigureAwait(false);

            return await Lock(dbContext, dialect, messageId, consumerId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Inbox row {messageId}/{consumerId} vanished after insert.");
        }

        var inbox = await Lock(dbContext, dialect, messageId, consumerId, cancellationToken).ConfigureAwait(false);
        if (inbox != null)
            return inbox;

        inbox = new InboxState { MessageId = messageId, ConsumerId = consumerId, LockId = NewId.NextGuid(), Received = DateTime.UtcNow };
        dbContext.Add(inbox);
        await dbContext.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return inbox;
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
