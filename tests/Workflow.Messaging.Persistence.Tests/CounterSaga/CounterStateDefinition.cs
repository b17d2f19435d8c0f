using MassTransit;

namespace Workflow.Messaging.Persistence.Tests.CounterSaga;

public class CounterStateDefinition : SagaDefinition<CounterState>
{
    public CounterStateDefinition()
    {
        ConcurrentMessageLimit = 8;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<CounterState> sagaConfigurator,
        IRegistrationContext context)
    {
        // Retry outside the outbox: every attempt gets a fresh scope, DbContext and transaction.
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Interval(20, TimeSpan.FromMilliseconds(20));
            r.HandlePersistenceConflicts();
        });
        endpointConfigurator.UseWorkflowEntityFrameworkOutbox<CounterDbContext>(context);
    }
}
