using Workflow.Messaging.Worker.Transport;

namespace Workflow.Messaging.Worker.Tests.Transport;

public class DeadEndpointTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void When_an_endpoint_has_no_consumer_for_less_than_the_bound_then_it_is_not_dead_yet()
    {
        var tracker = new DeadEndpointTracker(TimeSpan.FromSeconds(30));

        tracker.Observe([Saga(consumers: 0)], T0).Should().BeEmpty();
        tracker.Observe([Saga(consumers: 0)], T0.AddSeconds(29)).Should().BeEmpty();
        tracker.Observe([Saga(consumers: 0)], T0.AddSeconds(30)).Should().ContainSingle(o => o.Endpoint == "workflow-executions");
    }

    [Fact]
    public void When_the_consumer_comes_back_in_between_then_the_count_starts_again()
    {
        var tracker = new DeadEndpointTracker(TimeSpan.FromSeconds(30));

        tracker.Observe([Saga(consumers: 0)], T0);
        tracker.Observe([Saga(consumers: 1)], T0.AddSeconds(20));
        tracker.Observe([Saga(consumers: 0)], T0.AddSeconds(25)).Should().BeEmpty();

        tracker.Observe([Saga(consumers: 0)], T0.AddSeconds(54)).Should().BeEmpty("dead since 25 s, not since 0 s");
        tracker.Observe([Saga(consumers: 0)], T0.AddSeconds(55)).Should().ContainSingle();
    }

    [Fact]
    public void When_masstransit_has_the_endpoint_not_ready_then_it_counts_as_dead_even_with_consumers_on_the_queue()
    {
        var tracker = new DeadEndpointTracker(TimeSpan.FromSeconds(10));
        var notReady = Saga(consumers: 2) with { ReadyInProcess = false, ProcessDescription = "faulted (connection closed)" };

        tracker.Observe([notReady], T0);
        var dead = tracker.Observe([notReady], T0.AddSeconds(10));

        dead.Should().ContainSingle().Which.Describe().Should().Contain("faulted (connection closed)").And.Contain("2 consumers");
    }

    [Fact]
    public void When_the_queue_does_not_exist_then_the_endpoint_counts_as_dead()
    {
        var tracker = new DeadEndpointTracker(TimeSpan.Zero);
        var missing = Saga(consumers: 0) with { Broker = new QueueReading("workflow-executions", false, 0, 0) };

        tracker.Observe([missing], T0).Should().ContainSingle().Which.Describe().Should().Contain("does not exist");
    }

    [Fact]
    public void When_reset_after_a_remedy_then_every_endpoint_gets_the_whole_bound_again()
    {
        var tracker = new DeadEndpointTracker(TimeSpan.FromSeconds(30));
        tracker.Observe([Saga(consumers: 0)], T0);
        tracker.Observe([Saga(consumers: 0)], T0.AddSeconds(30)).Should().ContainSingle();

        tracker.Reset();

        tracker.Observe([Saga(consumers: 0)], T0.AddSeconds(31)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("rabbitmq://127.0.0.1/vhost/workflow-executions", "workflow-executions")]
    [InlineData("rabbitmq://127.0.0.1/workflow-nodes", "workflow-nodes")]
    [InlineData("rabbitmq://127.0.0.1/vhost/bus_abc?temporary=true", null)]
    [InlineData("rabbitmq://127.0.0.1/vhost/execution-progress_x?durable=false&autodelete=true", null)]
    public void The_queue_of_an_endpoint_is_the_last_segment_of_its_address_and_temporary_ones_are_not_watched(string address, string? queue) =>
        ReceiveEndpointWatchdog.QueueOf(new Uri(address)).Should().Be(queue);

    private static EndpointObservation Saga(uint consumers) =>
        new("workflow-executions", "workflow-executions", true, "ready", new QueueReading("workflow-executions", true, consumers, 3));
}
