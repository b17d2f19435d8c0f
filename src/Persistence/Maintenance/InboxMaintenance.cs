using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Workflow.Messaging.Persistence;

/// <summary>
/// The two jobs the hot path leaves behind: sending outbox rows stranded by a crash between
/// commit and delivery, and deleting inbox rows that no longer guard against anything.
/// </summary>
public sealed class InboxMaintenance<TDbContext>
    where TDbContext : DbContext
{
    readonly IBus _bus;
    readonly WorkflowOutboxOptions _options;
    readonly IServiceScopeFactory _scopeFactory;

    public InboxMaintenance(IBus bus, IServiceScopeFactory scopeFactory, IOptions<WorkflowOutboxOptions> options)
    {
        _bus = bus;
        _scopeFactory = scopeFactory;
        _options = options.Value;
    }

    /// <summary>
    /// Sends the outbox rows of inbox entries consumed longer than StrandedDeliveryThreshold ago
    /// and never delivered, and rows of inbox-less consumes stored that long ago. The rows stay
    /// locked while sending, so a concurrent sweeper skips them.
    /// </summary>
    public async Task<int> DeliverStranded(CancellationToken cancellationToken)
    {
        await using var scope = _scopeFactory.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var dialect = DatabaseDialect.For(dbContext, _options.Dialect);
        var consumedBefore = DateTime.UtcNow - _options.StrandedDeliveryThreshold;

        await using var transaction = await dbContext.Database.BeginUnitOfWorkAsync(dialect.IsolationLevel, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            List<InboxState> stranded = await LockStranded(dbContext, dialect, consumedBefore, cancellationToken).ConfigureAwait(false);
            foreach (var inbox in stranded)
            {
                List<OutboxMessage> messages = await dbContext.Set<OutboxMessage>().AsNoTracking()
                    .Where(x => x.InboxMessageId == inbox.MessageId && x.InboxConsumerId == inbox.ConsumerId)
                    .OrderBy(x => x.SequenceNumber)
                    .ToListAsync(cancellationToken).ConfigureAwait(false);

                foreach (var message in messages)
                    await OutboxMessageEnvelope.Send(_bus, message, _options.SendTimeout, cancellationToken).ConfigureAwait(false);

                await dbContext.Set<OutboxMessage>()
                    .Where(x => x.InboxMessageId == inbox.MessageId && x.InboxConsumerId == inbox.ConsumerId)
                    .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                inbox.Delivered = DateTime.UtcNow;
                inbox.LastSequenceNumber = messages.Count > 0 ? messages[^1].SequenceNumber : inbox.LastSequenceNumber;
            }

            var orphaned = await DeliverOrphaned(dbContext, dialect, consumedBefore, cancellationToken).ConfigureAwait(false);

            await dbContext.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return stranded.Count + orphaned;
        }
        catch
        {
            await transaction.RollbackQuietly().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Deletes delivered inbox rows older than the duplicate-detection window, and inbox rows that
    /// were never delivered (their consumer kept faulting) older than AbandonedInboxRetention,
    /// together with their outbox rows. Returns the number of inbox rows removed.
    /// </summary>
    public async Task<int> Cleanup(CancellationToken cancellationToken)
    {
        await using var scope = _scopeFactory.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var dialect = DatabaseDialect.For(dbContext, _options.Dialect);
        var now = DateTime.UtcNow;
        var deliveredBefore = now - _options.DuplicateDetectionWindow;
        var abandonedBefore = now - _options.AbandonedInboxRetention;

        await using var transaction = await dbContext.Database.BeginUnitOfWorkAsync(dialect.IsolationLevel, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            var inboxes = dbContext.Set<InboxState>();
            var removed = await inboxes
                .Where(x => x.Delivered != null && x.Delivered < deliveredBefore)
                .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);

            // Children before parents.
            await dbContext.Set<OutboxMessage>()
                .Where(m => m.InboxMessageId != null && inboxes.Any(i => i.MessageId == m.InboxMessageId
                    && i.ConsumerId == m.InboxConsumerId && i.Delivered == null && i.Received < abandonedBefore))
                .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            removed += await inboxes
                .Where(x => x.Delivered == null && x.Received < abandonedBefore)
                .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return removed;
        }
        catch
        {
            await transaction.RollbackQuietly().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Rows of consumes without an inbox row (<see cref="InboxlessEndpoint"/>) still stored after
    /// the threshold: their consume committed, and neither its send nor a redelivery came back for
    /// them. Sent in order per consume, then deleted. Returns the number of consumes.
    /// </summary>
    async Task<int> DeliverOrphaned(DbContext dbContext, DatabaseDialect dialect, DateTime storedBefore, CancellationToken cancellationToken)
    {
        var rows = await LockOrphaned(dbContext, dialect, storedBefore, cancellationToken).ConfigureAwait(false);
        foreach (var message in rows)
            await OutboxMessageEnvelope.Send(_bus, message, _options.SendTimeout, cancellationToken).ConfigureAwait(false);

        var sent = rows.Select(x => x.SequenceNumber).ToList();
        if (sent.Count > 0)
            await dbContext.Set<OutboxMessage>().Where(x => sent.Contains(x.SequenceNumber))
                .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(x => (x.InboxMessageId, x.InboxConsumerId)).Distinct().Count();
    }

    Task<List<OutboxMessage>> LockOrphaned(DbContext dbContext, DatabaseDialect dialect, DateTime storedBefore, CancellationToken cancellationToken)
    {
        var inboxes = dbContext.Set<InboxState>();
        if (!dialect.SupportsRowLocks)
        {
            return dbContext.Set<OutboxMessage>().AsNoTracking()
                .Where(m => m.InboxMessageId != null && m.SentTime < storedBefore
                    && !inboxes.Any(i => i.MessageId == m.InboxMessageId && i.ConsumerId == m.InboxConsumerId))
                .OrderBy(m => m.SequenceNumber)
                .Take(_options.QueryMessageLimit)
                .ToListAsync(cancellationToken);
        }

        var outbox = dbContext.Model.FindEntityType(typeof(OutboxMessage))!;
        var inbox = dbContext.Model.FindEntityType(typeof(InboxState))!;
        string O(string name) => "o." + DatabaseDialect.Column(outbox, name);
        string I(string name) => "i." + DatabaseDialect.Column(inbox, name);
        var sql = $"SELECT o.* FROM {DatabaseDialect.Table(outbox)} o WHERE {O(nameof(OutboxMessage.InboxMessageId))} IS NOT NULL "
            + $"AND {O(nameof(OutboxMessage.SentTime))} < {{0}} AND NOT EXISTS (SELECT 1 FROM {DatabaseDialect.Table(inbox)} i "
            + $"WHERE {I(nameof(InboxState.MessageId))} = {O(nameof(OutboxMessage.InboxMessageId))} "
            + $"AND {I(nameof(InboxState.ConsumerId))} = {O(nameof(OutboxMessage.InboxConsumerId))}) "
            + $"ORDER BY {O(nameof(OutboxMessage.SequenceNumber))} LIMIT {{1}} FOR UPDATE OF o SKIP LOCKED";
        return dbContext.Set<OutboxMessage>().FromSqlRaw(sql, storedBefore, _options.QueryMessageLimit).AsNoTracking()
            .ToListAsync(cancellationToken);
    }

    Task<List<InboxState>> LockStranded(DbContext dbContext, DatabaseDialect dialect, DateTime consumedBefore,
        CancellationToken cancellationToken)
    {
        if (!dialect.SupportsRowLocks)
        {
            return dbContext.Set<InboxState>().AsTracking()
                .Where(x => x.Consumed != null && x.Delivered == null && x.Consumed < consumedBefore)
                .OrderBy(x => x.Consumed)
                .Take(_options.QueryMessageLimit)
                .ToListAsync(cancellationToken);
        }

        var entityType = dbContext.Model.FindEntityType(typeof(InboxState))!;
        string Column(string name) => DatabaseDialect.Column(entityType, name);
        var sql = $"SELECT * FROM {DatabaseDialect.Table(entityType)} WHERE {Column(nameof(InboxState.Consumed))} IS NOT NULL "
            + $"AND {Column(nameof(InboxState.Delivered))} IS NULL AND {Column(nameof(InboxState.Consumed))} < {{0}} "
            + $"ORDER BY {Column(nameof(InboxState.Consumed))} LIMIT {{1}} FOR UPDATE SKIP LOCKED";

        return dbContext.Set<InboxState>().FromSqlRaw(sql, consumedBefore, _options.QueryMessageLimit).AsTracking()
            .ToListAsync(cancellationToken);
    }
}
