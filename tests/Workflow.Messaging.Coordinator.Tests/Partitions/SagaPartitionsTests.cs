using MassTransit;
using Workflow.Messaging.Coordinator.Executions;
using Workflow.Messaging.Coordinator.Partitions;

namespace Workflow.Messaging.Coordinator.Tests.Partitions;

public sealed class SagaPartitionsTests
{
    /// <summary>
    /// Partitioned, the saga's endpoints bind nothing themselves: an event the state machine consumes by
    /// publish but <see cref="SagaPartitions.PublishedExchanges"/> leaves out would reach no queue at all.
    /// </summary>
    [Fact]
    public async Task The_partition_routing_covers_exactly_the_events_the_state_machine_binds_by_publish()
    {
        // The RabbitMQ topology names the exchanges; creating the bus does not connect.
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host("broker.example"));
        var published = new WorkflowExecutionStateMachine().Correlations
            .Where(c => c.ConfigureConsumeTopology)
            .Select(c => $"{c.DataType.Namespace}:{c.DataType.Name}");

        SagaPartitions.PublishedExchanges(bus.Topology).Should().BeEquivalentTo(published);
    }
}
