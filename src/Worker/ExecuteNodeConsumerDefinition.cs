using MassTransit;
using Microsoft.Extensions.Options;

namespace Workflow.Messaging.Worker;

/// <summary>Concurrency of the pool endpoints, from <see cref="WorkerOptions"/>.</summary>
public sealed class ExecuteNodeConsumerDefinition : ConsumerDefinition<ExecuteNodeConsumer>
{
    private readonly WorkerOptions _options;

    public ExecuteNodeConsumerDefinition(IOptions<WorkerOptions> options)
    {
        _options = options.Value;
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ExecuteNodeConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = _options.PrefetchCount;
        endpointConfigurator.ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }
}
