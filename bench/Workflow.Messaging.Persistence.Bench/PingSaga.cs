using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Workflow.Messaging.Persistence.Bench;

public record StartPinging(Guid PingerId);

public record Ping(Guid PingerId);

public record Pong(Guid PingerId, int Count);

public class PingState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public int Count { get; set; }
}

/// <summary>Every consumed Ping updates the saga row and writes one outbox row: the coordinator's shape.</summary>
public class PingStateMachine : MassTransitStateMachine<PingState>
{
    public PingStateMachine()
    {
        Event(() => Started, x => x.CorrelateById(m => m.Message.PingerId));
        Event(() => Pinged, x => x.CorrelateById(m => m.Message.PingerId));

        InstanceState(x => x.CurrentState);

        Initially(When(Started).TransitionTo(Pinging));

        During(Pinging,
            Ignore(Started),
            When(Pinged)
                .Then(x => x.Saga.Count++)
                .Publish(x => new Pong(x.Saga.CorrelationId, x.Saga.Count)));
    }

    public State Pinging { get; private set; } = null!;
    public Event<StartPinging> Started { get; private set; } = null!;
    public Event<Ping> Pinged { get; private set; } = null!;
}

public class PingStateDefinition : SagaDefinition<PingState>
{
    public PingStateDefinition()
    {
        ConcurrentMessageLimit = 8;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<PingState> sagaConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Interval(20, TimeSpan.FromMilliseconds(20));
            r.HandlePersistenceConflicts();
        });
        endpointConfigurator.UseWorkflowEntityFrameworkOutbox<PingDbContext>(context);
    }
}

public class PingDbContext(DbContextOptions<PingDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema("persistence_bench");
        modelBuilder.Entity<PingState>().MapWorkflowSaga().Property(x => x.CurrentState).HasMaxLength(64);
        modelBuilder.AddWorkflowInboxOutboxEntities();
    }
}

public sealed class PongCounter : IConsumer<Pong>
{
    int _received;

    public int Received => Volatile.Read(ref _received);

    public Task Consume(ConsumeContext<Pong> context)
    {
        Interlocked.Increment(ref _received);
        return Task.CompletedTask;
    }
}
