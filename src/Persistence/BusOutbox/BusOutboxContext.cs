using MassTransit;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using MassTransit.Transports;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Workflow.Messaging.Persistence;

/// <summary>
/// The scoped bus context outside consumers: sends and publishes become OutboxState/OutboxMessage
/// entities on the scoped DbContext. Nothing reaches the database, let alone the broker, until the
/// caller's SaveChangesAsync; a rolled-back transaction takes the messages with it.
/// </summary>
sealed class BusOutboxContext<TDbContext> : ScopedBusContext, OutboxSendContext, IDisposable
    where TDbContext : DbContext
{
    readonly IBus _bus;
    readonly TDbContext _dbContext;
    readonly BusScopedBusContext<IBus> _direct;
    readonly Lock _lock = new();
    readonly IBusOutboxNotification _notification;
    readonly IServiceProvider _provider;
    Guid _outboxId = NewId.NextGuid();
    EntityEntry<OutboxState>? _outboxState;
    IPublishEndpoint? _publishEndpoint;
    ISendEndpointProvider? _sendEndpointProvider;

    public BusOutboxContext(IBus bus, TDbContext dbContext, IBusOutboxNotification notification, IClientFactory clientFactory,
        IServiceProvider provider)
    {
        _bus = bus;
        _dbContext = dbContext;
        _notification = notification;
        _provider = provider;
        _direct = new BusScopedBusContext<IBus>(bus, clientFactory, provider);
    }

    public ISendEndpointProvider SendEndpointProvider => _sendEndpointProvider ??= new OutboxSendEndpointProvider(this, _bus);

    public IPublishEndpoint PublishEndpoint =>
        _publishEndpoint ??= new PublishEndpoint(new OutboxPublishEndpointProvider(this, _bus));

    /// <summary>Requests need a live response; they bypass the outbox.</summary>
    public IScopedClientFactory ClientFactory => _direct.ClientFactory;

    public Task AddSend<T>(SendContext<T> context)
        where T : class
    {
        lock (_lock)
        {
            // After a SaveChanges the unit of work is committed; later sends start a new one.
            if (WasSaved())
            {
                _notification.Delivered();
                _outboxId = NewId.NextGuid();
                _outboxState = null;
            }

            _outboxState ??= _dbContext.Add(new OutboxState { OutboxId = _outboxId, Created = DateTime.UtcNow });
            _dbContext.Add(OutboxMessageEnvelope.Capture(context, outboxId: _outboxId));
        }

        return Task.CompletedTask;
    }

    public object? GetService(Type serviceType) => _provider.GetService(serviceType);

    public void Dispose()
    {
        // Wake the delivery service now rather than at its next poll.
        if (WasSaved())
            _notification.Delivered();
    }

    bool WasSaved() => _outboxState?.State == EntityState.Unchanged;
}
