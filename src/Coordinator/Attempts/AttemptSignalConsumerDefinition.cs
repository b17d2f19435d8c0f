using MassTransit;
using Workflow.Messaging.Persistence;

namespace Workflow.Messaging.Coordinator.Attempts;

/// <summary>The tracker's endpoint: batches of up to <see cref="BatchSize"/> signals, retried on database conflicts.</summary>
public sealed class AttemptSignalConsumerDefinition : ConsumerDefinition<AttemptSignalConsumer>
{
    public const string QueueName = "workflow-node-attempts";

    /// <summary>Signals per upsert statement.</summary>
    public const int BatchSize = 100;

    public AttemptSignalConsumerDefinition()
    {
        Endpoint(e =>
        {
            e.Name = QueueName;
            // A batch is only as large as the messages the endpoint may hold at once.
            e.PrefetchCount = BatchSize * 2;
            e.ConcurrentMessageLimit = BatchSize * 2;
        });
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<AttemptSignalConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Intervals(10, 50, 200, 500, 1000, 2000, 4000).HandlePersistenceFailures());
        // A short window: what is tracked is only as fresh as the batch that carries it.
        consumerConfigurator.Options<BatchOptions>(o => o
            .SetMessageLimit(BatchSize)
            .SetTimeLimit(TimeSpan.FromMilliseconds(100))
            .SetConcurrencyLimit(2));
    }
}
