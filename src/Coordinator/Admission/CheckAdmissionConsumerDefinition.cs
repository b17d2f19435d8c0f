using MassTransit;
using Workflow.Messaging.Coordinator.Persistence;
using Workflow.Messaging.Persistence;

namespace Workflow.Messaging.Coordinator.Admission;

/// <summary>The admission endpoint: retried on database conflicts, behind the same outbox as the saga.</summary>
public sealed class CheckAdmissionConsumerDefinition : ConsumerDefinition<CheckAdmissionConsumer>
{
    private readonly PersistenceOptions? _persistence;

    public CheckAdmissionConsumerDefinition(IServiceProvider services)
    {
        _persistence = services.GetService<PersistenceOptions>();
        Endpoint(e =>
        {
            e.Name = ExecutionAdmission.QueueName;
            // Passes over one limit take turns on its row anyway; a few at once serve different limits.
            e.ConcurrentMessageLimit = 4;
        });
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<CheckAdmissionConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Intervals(10, 50, 200, 500, 1000, 2000, 4000, 8000, 15000).HandlePersistenceFailures());
        endpointConfigurator.UseConfiguredOutbox(context, _persistence);
    }
}
