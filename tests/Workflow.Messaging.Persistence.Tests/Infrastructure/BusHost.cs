using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Workflow.Messaging.Persistence.Tests.CounterSaga;

namespace Workflow.Messaging.Persistence.Tests.Infrastructure;

/// <summary>A started host with the in-memory bus, the counter saga behind the outbox, and the bus outbox.</summary>
public sealed class BusHost : IAsyncDisposable
{
    readonly IHost _host;

    BusHost(IHost host)
    {
        _host = host;
    }

    public IServiceProvider Services => _host.Services;
    public IBus Bus => Services.GetRequiredService<IBus>();
    public ObservedMessages Observed => Services.GetRequiredService<ObservedMessages>();
    public ScriptedFaults Faults => Services.GetRequiredService<ScriptedFaults>();
    public ReceiveFaults ReceiveFaults => Services.GetRequiredService<ReceiveFaults>();
    public SagaRowCache<CounterState> RowCache => Services.GetRequiredService<SagaRowCache<CounterState>>();

    public static async Task<BusHost> Start(TestDatabase database, Action<WorkflowOutboxOptions>? configure = null,
        bool partitioned = false, bool startWithoutInbox = false)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(database.Schema);
        builder.Services.AddSingleton(new CounterEndpointOptions(partitioned, startWithoutInbox));
        if (database.Schema.RowCache)
        {
            builder.Services.AddSingleton(Infrastructure.RowCache.Create());
            builder.Services.AddDbContext<CounterDbContext>((sp, o) =>
            {
                database.Configure(o);
                o.AddInterceptors(sp.GetRequiredService<SagaRowCache<CounterState>>());
            });
        }
        else
            builder.Services.AddDbContext<CounterDbContext>(database.Configure);
        builder.Services.AddSingleton<ObservedMessages>();
        builder.Services.AddSingleton<ScriptedFaults>();
        builder.Services.AddSingleton<ReceiveFaults>();
        builder.Services.AddReceiveObserver(p => p.GetRequiredService<ReceiveFaults>());
        builder.Services.Replace(ServiceDescriptor.Singleton<IOutboxFaultInjection>(p => p.GetRequiredService<ScriptedFaults>()));

        builder.Services.AddMassTransit(x =>
        {
            x.AddWorkflowEntityFrameworkOutbox<CounterDbContext>(o =>
            {
                o.MaintenanceInterval = TimeSpan.FromHours(1);
                o.BusOutboxPollInterval = TimeSpan.FromMilliseconds(100);
                o.DeliveryRetryMinDelay = TimeSpan.FromMilliseconds(50);
                o.DeliveryRetryMaxDelay = TimeSpan.FromSeconds(1);
                configure?.Invoke(o);
            });
            x.AddWorkflowBusOutbox<CounterDbContext>();

            x.AddSagaStateMachine<CounterStateMachine, CounterState, CounterStateDefinition>()
                .WorkflowEntityFrameworkRepository(r =>
                {
                    r.ExistingDbContext<CounterDbContext>();
                    if (database.Schema.Optimistic)
                        r.UseOptimisticConcurrency();
                });
            x.AddConsumer<ObservingConsumer>();
            x.AddConsumer<OutcomeSubscriber>();

            x.UsingInMemory((context, cfg) =>
            {
                cfg.ConfigureSend(s => s.UseFilter(new HangingSendFilter(context.GetRequiredService<ScriptedFaults>())));
                cfg.ConfigureEndpoints(context);
            });
        });

        var host = builder.Build();
        await host.StartAsync();
        return new BusHost(host);
    }

    public async Task<T> WithDb<T>(Func<CounterDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<CounterDbContext>();
        return await query(dbContext);
    }

    public Task<CounterState?> FindCounter(Guid counterId) =>
        WithDb(db => db.Counters.AsNoTracking().SingleOrDefaultAsync(x => x.CorrelationId == counterId));

    public Task<InboxState?> FindInbox(Guid messageId) =>
        WithDb(db => db.Set<InboxState>().AsNoTracking().SingleOrDefaultAsync(x => x.MessageId == messageId));

    public async ValueTask DisposeAsync()
    {
        Faults.ReleaseHungSends();
        await _host.StopAsync();
        _host.Dispose();
    }
}
