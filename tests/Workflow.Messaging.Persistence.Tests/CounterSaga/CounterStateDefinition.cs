using MassTransit;

namespace Workflow.Messaging.Persistence.Tests.CounterSaga;

public class CounterStateDefinition : SagaDefinition<CounterState>
{
    readonly CounterEndpointOptions _options;

    public CounterStateDefinition(CounterEndpointOptions options)
    {
        _options = options;
        ConcurrentMessageLimit = 8;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<CounterState> sagaConfigurator,
        IRegistrationContext context)
    {
        // Retry outside the outbox: every attempt gets a fresh scope, DbContext and transaction.
        // Failures, not only conflicts: a delivery that timed out after commit is retried too.
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Interval(20, TimeSpan.FromMilliseconds(20));
            r.HandlePersistenceFailures();
        });
        if (_options.Partitioned)
        {
            var partitioner = endpointConfigurator.CreatePartitioner(ConcurrentMessageLimit ?? 8);
            endpointConfigurator.UsePartitioner<IncrementCounter>(partitioner, m => m.Message.CounterId);
        }

        endpointConfigurator.UseWorkflowEntityFrameworkOutbox<CounterDbContext>(context,
            withoutInbox: _options.StartWithoutInbox ? type => type == typeof(StartCounter) : null);
    }
}

/// <summary>
/// Partitioning is off by default, so the fan-in test proves the row lock alone keeps every event.
/// StartWithoutInbox: StartCounter is consumed without an inbox row (a second start of a counter
/// changes nothing), IncrementCounter keeps it.
/// </summary>
public sealed record CounterEndpointOptions(bool Partitioned, bool StartWithoutInbox = false);
