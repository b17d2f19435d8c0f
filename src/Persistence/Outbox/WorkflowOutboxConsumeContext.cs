using MassTransit;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;

namespace Workflow.Messaging.Persistence;

/// <summary>
/// The consume context a consumer or saga sees inside the outbox: its sends and publishes become
/// OutboxMessage rows on the shared DbContext, written by the same transaction as the saga.
/// </summary>
sealed class WorkflowOutboxConsumeContext<TMessage> : OutboxConsumeContextProxy<TMessage>
    where TMessage : class
{
    readonly List<OutboxMessage> _captured = [];
    readonly DbContext _dbContext;
    readonly InboxState _inbox;

    public WorkflowOutboxConsumeContext(ConsumeContext<TMessage> context, OutboxConsumeOptions options, IServiceProvider provider,
        DbContext dbContext, InboxState inbox)
        : base(context, options, provider)
    {
        _dbContext = dbContext;
        _inbox = inbox;
    }

    /// <summary>Messages sent during this consume, in the order the consumer sent them; the durable ones are rows.</summary>
    public IReadOnlyList<OutboxMessage> Captured
    {
        get
        {
            lock (_captured)
                return [.. _captured];
        }
    }

    public override bool ContinueProcessing { get; set; } = true;
    public override bool IsMessageConsumed => _inbox.Consumed.HasValue;
    public override bool IsOutboxDelivered => _inbox.Delivered.HasValue;
    public override int ReceiveCount => _inbox.ReceiveCount;
    public override long? LastSequenceNumber => _inbox.LastSequenceNumber;

    // Both only change the tracked row: the factory saves once before it commits, so the inbox
    // update travels in the same batch as the saga row and the outbox rows.
    public override Task SetConsumed()
    {
        _inbox.Consumed = DateTime.UtcNow;
        return Task.CompletedTask;
    }

    public override Task SetDelivered()
    {
        _inbox.Delivered = DateTime.UtcNow;
        return Task.CompletedTask;
    }

    public override async Task<List<OutboxMessageContext>> LoadOutboxMessages()
    {
        var lastSequenceNumber = LastSequenceNumber ?? 0;
        List<OutboxMessage> messages = await _dbContext.Set<OutboxMessage>().AsNoTracking()
            .Where(x => x.InboxMessageId == _inbox.MessageId && x.InboxConsumerId == ConsumerId && x.SequenceNumber > lastSequenceNumber)
            .OrderBy(x => x.SequenceNumber)
            .Take(Options.MessageDeliveryLimit + 1)
            .ToListAsync(CancellationToken).ConfigureAwait(false);

        foreach (var message in messages)
            message.Deserialize(SystemTextJsonMessageSerializer.Instance);

        return [.. messages];
    }

    public override Task NotifyOutboxMessageDelivered(OutboxMessageContext message)
    {
        _inbox.LastSequenceNumber = message.SequenceNumber;
        return Task.CompletedTask;
    }

    public override Task RemoveOutboxMessages() =>
        _dbContext.Set<OutboxMessage>()
            .Where(x => x.InboxMessageId == _inbox.MessageId && x.InboxConsumerId == ConsumerId)
            .ExecuteDeleteAsync(CancellationToken);

    public override Task AddSend<T>(SendContext<T> context)
    {
        var message = OutboxMessageEnvelope.Capture(context, _inbox.MessageId, ConsumerId);

        // Activities of one state machine event may publish concurrently; the change tracker is not thread safe.
        lock (_captured)
        {
            // A non-durable message (progress for watchers) is sent after the commit like the
            // others but never stored: it costs no row, and a crash before it is sent loses only it.
            if (context.Durable)
                _dbContext.Set<OutboxMessage>().Add(message);
            _captured.Add(message);
        }

        return Task.CompletedTask;
    }
}
