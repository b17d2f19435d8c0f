using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Persistence;

namespace Workflow.Messaging.Coordinator.Admission;

/// <summary>
/// Takes the ExecuteNode of a limited node from the saga: forwards it to its pool's queue when the
/// attempt gets a slot of every limit it needs (or already holds them: the same attempt dispatched
/// again after its worker went silent), otherwise parks it in the limits' queues. Behind the outbox,
/// so a claimed slot and the forwarded command commit together.
/// </summary>
public sealed class NodeAdmissionConsumer(IAdmissionStore store, IOptions<AdmissionOptions> options, IOptions<CoordinatorOptions> coordinator, TimeProvider time)
    : IConsumer<ExecuteNode>
{
    public async Task Consume(ConsumeContext<ExecuteNode> context)
    {
        var command = context.Message;
        var destination = context.Headers.Get<string>(NodeAdmission.DestinationHeader) ?? NodePools.QueueName(null);
        var resource = context.Headers.Get<string>(NodeAdmission.ResourceHeader);
        var demands = NodeLimits.For(new NodeDefinition { Id = command.NodeId, Type = command.NodeType, Resource = resource }, options.Value);
        var holder = NodeLimits.Holder(command.ExecutionId, command.NodeId, command.Attempt, command.ItemIndex);
        var now = time.GetUtcNow().UtcDateTime;
        // The slot's first lease is the attempt's own (timeout and grace): until then the planner
        // itself still waits for the attempt; later the attempt tracker must be hearing from it.
        var leaseUntil = now + command.Timeout + coordinator.Value.LeaseGrace;
        var keys = demands.Select(d => d.Key).ToList();

        if (demands.Count == 0
            || await store.HeldByAsync(holder, context.CancellationToken) >= demands.Count
            || (!await store.AnyWaitingAsync(keys, context.CancellationToken) && await store.TryAcquireAsync(holder, demands, now, leaseUntil, context.CancellationToken)))
        {
            await context.Send(new Uri($"queue:{destination}"), command);
            return;
        }

        await store.EnqueueAsync(holder, demands, priority: 0, now, new ParkedDispatch(destination, NodeAdmission.Park(command)), context.CancellationToken);
        await NodeAdmission.ScheduleRateWakeUpAsync(context, store, demands, now);
        // Closes the race with a release that committed meanwhile: the pass runs after both.
        await context.Send(new Uri($"queue:{ExecutionAdmission.QueueName}"), new CheckAdmission { LimitKeys = keys });
    }
}

/// <summary>The node admission endpoint: retried on database conflicts, behind the outbox; bound to nothing but its queue.</summary>
public sealed class NodeAdmissionConsumerDefinition : ConsumerDefinition<NodeAdmissionConsumer>
{
    private readonly Coordinator.Persistence.PersistenceOptions? _persistence;

    public NodeAdmissionConsumerDefinition(IServiceProvider services)
    {
        _persistence = services.GetService<Coordinator.Persistence.PersistenceOptions>();
        Endpoint(e =>
        {
            e.Name = NodeAdmission.QueueName;
            e.ConfigureConsumeTopology = false;
            e.ConcurrentMessageLimit = 8;
        });
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<NodeAdmissionConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Intervals(10, 50, 200, 500, 1000, 2000, 4000, 8000, 15000).HandlePersistenceFailures());
        Coordinator.Persistence.PersistenceHostingExtensions.UseConfiguredOutbox(endpointConfigurator, context, _persistence);
    }
}
