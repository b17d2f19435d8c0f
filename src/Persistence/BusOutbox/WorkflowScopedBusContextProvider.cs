using MassTransit;
using MassTransit.DependencyInjection;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Workflow.Messaging.Persistence;

/// <summary>
/// Replaces MassTransit's scoped IBus context: inside a consumer the consume context is used (the
/// consumer outbox covers it); anywhere else publishes go to the bus outbox.
/// </summary>
public sealed class WorkflowScopedBusContextProvider<TDbContext> : IScopedBusContextProvider<IBus>, IDisposable
    where TDbContext : DbContext
{
    public WorkflowScopedBusContextProvider(IBus bus, TDbContext dbContext, IBusOutboxNotification notification,
        IClientFactory clientFactory, IScopedConsumeContextProvider consumeContextProvider, IServiceProvider provider)
    {
        Context = consumeContextProvider.HasContext
            ? new ConsumeContextScopedBusContext(consumeContextProvider.GetContext(), clientFactory)
            : new BusOutboxContext<TDbContext>(bus, dbContext, notification, clientFactory, provider);
    }

    public ScopedBusContext Context { get; }

    public void Dispose() => (Context as IDisposable)?.Dispose();
}
