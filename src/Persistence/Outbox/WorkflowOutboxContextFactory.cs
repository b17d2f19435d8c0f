using MassTransit;
using MassTransit.Middleware;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Workflow.Messaging.Persistence;

/// <summary>
/// Runs a consumer (or saga) inside the inbox/outbox. Resolved from the consume scope, so its
/// TDbContext is the instance the saga repository uses: one DbContext, one transaction.
/// </summary>
public sealed class WorkflowOutboxContextFactory<TDbContext> : IOutboxContextFactory<TDbContext>
    where TDbContext : DbContext
{
    readonly TDbContext _dbContext;
    readonly IOutboxFaultInjection _faults;
    readonly WorkflowOutboxOptions _options;
    readonly IServiceProvider _provider;
    readonly DeliveredMarker<TDbContext> _delivered;

    public WorkflowOutboxContextFactory(TDbContext dbContext, IServiceProvider provider, IOptions<WorkflowOutboxOptions> options,
        IOutboxFaultInjection faults, DeliveredMarker<TDbContext> delivered)
    {
        _delivered = delivered;
        _dbContext = dbContext;
        _provider = provider;
        _faults = faults;
        _options = options.Value;
    }

    public Task Send<T>(ConsumeContext<T> context, OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next)
        where T : class
    {
        var messageId = context.GetOriginalMessageId() ?? throw new MessageException(typeof(T), "MessageId required to use the outbox");
        var dialect = DatabaseDialect.For(_dbContext, _options.Dialect);

        if (_options.DeliveryMode == OutboxDeliveryMode.MassTransitLoop)
            return SendLoop(context, options, next, messageId, dialect);
        return InboxlessEndpoint.Applies(context)
            ? SendWithoutInbox(context, options, next, messageId, dialect)
            : SendTwoTransactions(context, options, next, messageId, dialect);
    }

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateFilterScope("outboxContextFactory");
        scope.Add("provider", "workflowEntityFramework");
        scope.Add("deliveryMode", _options.DeliveryMode.ToString());
    }

    async Task SendTwoTransactions<T>(ConsumeContext<T> context, OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next,
        Guid messageId, DatabaseDialect dialect)
        where T : class
    {
        InboxState inbox;
        IReadOnlyList<OutboxMessage> pending = [];

        await using (var transaction = await _dbContext.Database.BeginUnitOfWorkAsync(dialect.IsolationLevel, context.CancellationToken)
                         .ConfigureAwait(false))
        {
            try
            {
                inbox = await InboxLock.InsertOrLock(_dbContext, dialect, messageId, options.ConsumerId, context.CancellationToken)
                    .ConfigureAwait(false);

                if (inbox.Consumed == null)
                {
                    var outboxContext = new WorkflowOutboxConsumeContext<T>(context, options, _provider, _dbContext, inbox);

                    // The core pipe runs the consumer and then SetConsumed, because the message is not consumed yet.
                    await next.Send(outboxContext).ConfigureAwait(false);

                    pending = outboxContext.Captured;
                    // Nothing stored: nothing to mark delivered later, so no second transaction.
                    if (!pending.Any(IsStored))
                        inbox.Delivered = inbox.Consumed;
                }
                else if (inbox.Delivered == null)
                    pending = await LoadPending(inbox, context.CancellationToken).ConfigureAwait(false);

                await _dbContext.SaveChangesAsync(context.CancellationToken).ConfigureAwait(false);
                await _faults.BeforeConsumeCommit(messageId, options.ConsumerId).ConfigureAwait(false);
                await transaction.CommitAsync(context.CancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await transaction.RollbackQuietly().ConfigureAwait(false);
                throw;
            }
        }

        if (inbox.Delivered != null && pending.Count == 0)
            return;

        await _faults.AfterConsumeCommitted(messageId, options.ConsumerId).ConfigureAwait(false);
        await SendPending(context, pending, messageId).ConfigureAwait(false);

        if (inbox.Delivered != null)
            return;
        // PostgreSQL: written behind, batched with other consumes' marks; the message is
        // acknowledged now that its rows went out. SQLite has one writer at a time anyway, and a
        // second connection would only queue behind the consumes'.
        if (dialect.SupportsRowLocks)
            _delivered.Mark(inbox);
        else
            await MarkInline(inbox.Id, inbox.MessageId, inbox.ConsumerId, dialect, context.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The outbox without the inbox (<see cref="InboxlessEndpoint"/>): one transaction that runs the
    /// consumer and stores its rows, then the rows are sent and deleted behind. A consume that may
    /// have committed before looks for its rows first and, if it finds them, only sends them.
    /// </summary>
    async Task SendWithoutInbox<T>(ConsumeContext<T> context, OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next,
        Guid messageId, DatabaseDialect dialect)
        where T : class
    {
        // Never saved: it only tells the outbox context whose rows it writes.
        var inbox = new InboxState { MessageId = messageId, ConsumerId = options.ConsumerId, Received = DateTime.UtcNow, ReceiveCount = 1 };
        IReadOnlyList<OutboxMessage> pending;

        await using (var transaction = await _dbContext.Database.BeginUnitOfWorkAsync(dialect.IsolationLevel, context.CancellationToken)
                         .ConfigureAwait(false))
        {
            try
            {
                pending = InboxlessEndpoint.MayHaveRunBefore(context)
                    ? await LoadPending(inbox, context.CancellationToken).ConfigureAwait(false)
                    : [];
                if (pending.Count == 0)
                {
                    var outboxContext = new WorkflowOutboxConsumeContext<T>(context, options, _provider, _dbContext, inbox);
                    await next.Send(outboxContext).ConfigureAwait(false);
                    pending = outboxContext.Captured;
                    await _dbContext.SaveChangesAsync(context.CancellationToken).ConfigureAwait(false);
                }
                await _faults.BeforeConsumeCommit(messageId, options.ConsumerId).ConfigureAwait(false);
                await transaction.CommitAsync(context.CancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await transaction.RollbackQuietly().ConfigureAwait(false);
                throw;
            }
        }

        if (pending.Count == 0)
            return;
        await _faults.AfterConsumeCommitted(messageId, options.ConsumerId).ConfigureAwait(false);
        await SendPending(context, pending, messageId).ConfigureAwait(false);

        if (!pending.Any(WasStored))
            return;
        if (dialect.SupportsRowLocks)
            _delivered.Forget(messageId, options.ConsumerId);
        else
            await MarkInline(null, messageId, options.ConsumerId, dialect, context.CancellationToken).ConfigureAwait(false);
    }

    // Sent through the original context: the outbox context would only capture them again.
    // Destinations are served side by side (each send waits for its own publisher confirm), so a
    // step waits for its slowest confirm rather than for their sum; rows for one destination keep
    // their order (a schedule and its cancel both go to the scheduler's queue).
    async Task SendPending<T>(ConsumeContext<T> context, IReadOnlyList<OutboxMessage> pending, Guid messageId)
        where T : class
    {
        try
        {
            await Task.WhenAll(pending.GroupBy(x => x.DestinationAddress).Select(async destination =>
            {
                foreach (var message in destination)
                    await OutboxMessageEnvelope.Send(context, message, _options.SendTimeout, context.CancellationToken).ConfigureAwait(false);
            })).ConfigureAwait(false);
        }
        catch (Exception exception) when (!context.CancellationToken.IsCancellationRequested)
        {
            throw new OutboxDeliveryException(messageId, exception);
        }
    }

    // SQLite: the mark in a transaction of its own right away (inboxId null: a consume without an inbox row).
    async Task MarkInline(long? inboxId, Guid messageId, Guid consumerId, DatabaseDialect dialect, CancellationToken cancellationToken)
    {
        await using var transaction = await _dbContext.Database.BeginUnitOfWorkAsync(dialect.IsolationLevel, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            await DeliveredMarker<TDbContext>.MarkAsync(_dbContext, [(inboxId, messageId, consumerId)], DateTime.UtcNow, cancellationToken)
                .ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await transaction.RollbackQuietly().ConfigureAwait(false);
            throw;
        }
    }

    bool IsStored(OutboxMessage message) => _dbContext.Entry(message).State != EntityState.Detached;

    // After the commit every stored row, captured or loaded, has its database-generated sequence
    // number; a captured non-durable message never got one.
    static bool WasStored(OutboxMessage message) => message.SequenceNumber != 0;

    Task<List<OutboxMessage>> LoadPending(InboxState inbox, CancellationToken cancellationToken) =>
        _dbContext.Set<OutboxMessage>().AsNoTracking()
            .Where(x => x.InboxMessageId == inbox.MessageId && x.InboxConsumerId == inbox.ConsumerId)
            .OrderBy(x => x.SequenceNumber)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// MassTransit's algorithm, pass by pass, each pass in its own transaction: insert the inbox
    /// row; consume; deliver up to MessageDeliveryLimit rows (repeated until all are sent); remove.
    /// </summary>
    async Task SendLoop<T>(ConsumeContext<T> context, OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next,
        Guid messageId, DatabaseDialect dialect)
        where T : class
    {
        var continueProcessing = true;
        while (continueProcessing)
        {
            await using var transaction = await _dbContext.Database.BeginUnitOfWorkAsync(dialect.IsolationLevel, context.CancellationToken)
                .ConfigureAwait(false);
            try
            {
                var inbox = await InboxLock.Lock(_dbContext, dialect, messageId, options.ConsumerId, context.CancellationToken)
                    .ConfigureAwait(false);
                if (inbox == null)
                {
                    _dbContext.Add(new InboxState
                    {
                        MessageId = messageId,
                        ConsumerId = options.ConsumerId,
                        LockId = NewId.NextGuid(),
                        Received = DateTime.UtcNow,
                    });
                    await _dbContext.SaveChangesAsync(context.CancellationToken).ConfigureAwait(false);
                }
                else
                {
                    inbox.LockId = NewId.NextGuid();
                    inbox.ReceiveCount++;
                    await _dbContext.SaveChangesAsync(context.CancellationToken).ConfigureAwait(false);

                    var outboxContext = new WorkflowOutboxConsumeContext<T>(context, options, _provider, _dbContext, inbox);
                    await next.Send(outboxContext).ConfigureAwait(false);
                    await _dbContext.SaveChangesAsync(context.CancellationToken).ConfigureAwait(false);

                    continueProcessing = outboxContext.ContinueProcessing;
                }

                await transaction.CommitAsync(context.CancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await transaction.RollbackQuietly().ConfigureAwait(false);
                throw;
            }
        }
    }
}
