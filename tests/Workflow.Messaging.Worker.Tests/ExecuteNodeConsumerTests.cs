using Workflow.Messaging.Contracts;
using static Workflow.Messaging.Worker.Tests.WorkerHarness;

namespace Workflow.Messaging.Worker.Tests;

public class ExecuteNodeConsumerTests
{
    [Fact]
    public async Task When_a_noop_node_runs_then_NodeSucceeded_carries_its_input_as_output()
    {
        await using var worker = await Start();
        var message = Node("noop", input: """{"order":42}""");

        await worker.Send(message);

        var succeeded = await worker.Published<NodeSucceeded>(message.ExecutionId);
        succeeded.Output.GetProperty("order").GetInt32().Should().Be(42);
        succeeded.Ports.Should().Equal("main");
        succeeded.WorkerId.Should().Be("test-worker");
        succeeded.Attempt.Should().Be(1);
    }

    [Fact]
    public async Task When_an_attempt_ends_before_the_announcement_delay_then_no_NodeStarted_is_sent_and_the_result_says_so()
    {
        await using var worker = await Start(new() { ["Worker:StartAnnouncementDelay"] = "00:01:00" });
        var message = Node("noop");

        await worker.Send(message);

        var succeeded = await worker.Published<NodeSucceeded>(message.ExecutionId);
        succeeded.StartAnnounced.Should().BeFalse("the coordinator then writes no tracker row for the attempt");
        succeeded.DispatchedAt.Should().Be(message.DispatchedAt);
        succeeded.StartedAt.Should().NotBeNull().And.BeOnOrAfter(message.DispatchedAt);
        worker.PublishedSoFar<NodeStarted>(message.ExecutionId).Should().BeEmpty();
    }

    [Fact]
    public async Task When_an_attempt_runs_past_the_announcement_delay_then_NodeStarted_precedes_the_result_which_says_so()
    {
        await using var worker = await Start(new() { ["Worker:StartAnnouncementDelay"] = "00:00:00.100" });
        var message = Node("delay", """{"duration":"2s"}""");

        await worker.Send(message);

        var started = await worker.Published<NodeStarted>(message.ExecutionId);
        worker.PublishedSoFar<NodeSucceeded>(message.ExecutionId).Should().BeEmpty("the start is announced while the attempt runs");
        started.WorkerId.Should().Be("test-worker");
        started.DispatchedAt.Should().Be(message.DispatchedAt);
        var succeeded = await worker.Published<NodeSucceeded>(message.ExecutionId);
        succeeded.StartAnnounced.Should().BeTrue();
        succeeded.StartedAt.Should().Be(started.StartedAt);
    }

    [Theory]
    [InlineData(true, NodeErrorKind.Retryable)]
    [InlineData(false, NodeErrorKind.Fatal)]
    public async Task When_a_fail_node_runs_then_NodeFailed_carries_its_classification(bool retryable, NodeErrorKind expected)
    {
        await using var worker = await Start();
        var message = Node("fail", $$"""{"message":"boom","retryable":{{(retryable ? "true" : "false")}}}""");

        await worker.Send(message);

        var failed = await worker.Published<NodeFailed>(message.ExecutionId);
        failed.Error.Kind.Should().Be(expected);
        failed.Error.Message.Should().Be("boom");
        failed.Error.Code.Should().Be("fail");
        failed.WorkerId.Should().Be("test-worker");
    }

    [Fact]
    public async Task When_the_node_type_is_unknown_then_NodeFailed_is_fatal_and_the_message_does_not_fault()
    {
        await using var worker = await Start();
        var message = Node("no-such-type");

        await worker.Send(message);

        var failed = await worker.Published<NodeFailed>(message.ExecutionId);
        failed.Error.Kind.Should().Be(NodeErrorKind.Fatal);
        failed.Error.Code.Should().Be("unknown-node-type");
        failed.Error.Message.Should().Contain("no-such-type");
        (await worker.Harness.Published.Any<MassTransit.Fault<ExecuteNode>>()).Should().BeFalse();
    }

    [Fact]
    public async Task When_the_attempt_outlives_its_timeout_then_NodeFailed_is_retryable_with_code_timeout()
    {
        await using var worker = await Start();
        var message = Node("delay", """{"duration":"30s"}""", timeout: TimeSpan.FromMilliseconds(200));

        await worker.Send(message);

        var failed = await worker.Published<NodeFailed>(message.ExecutionId);
        failed.Error.Kind.Should().Be(NodeErrorKind.Retryable);
        failed.Error.Code.Should().Be("timeout");
        failed.Duration.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task When_CancelRunningNodes_arrives_then_the_running_delay_node_stops_and_fails_as_cancelled()
    {
        await using var worker = await Start();
        var message = Node("delay", """{"duration":"30s"}""", timeout: TimeSpan.FromMinutes(1));
        await worker.Send(message);
        await worker.Published<NodeStarted>(message.ExecutionId);

        await worker.Harness.Bus.Publish(new CancelRunningNodes { ExecutionId = message.ExecutionId, Reason = "user cancelled" });

        var failed = await worker.Published<NodeFailed>(message.ExecutionId);
        failed.Error.Code.Should().Be("cancelled");
        failed.Error.Message.Should().Contain("user cancelled");
        failed.Duration.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task When_a_node_runs_longer_than_the_heartbeat_interval_then_heartbeats_extend_its_lease()
    {
        await using var worker = await Start(new() { ["Worker:HeartbeatInterval"] = "00:00:00.100", ["Worker:StartAnnouncementDelay"] = "00:00:00" });
        var message = Node("delay", """{"duration":"1s"}""");

        await worker.Send(message);

        await worker.Published<NodeSucceeded>(message.ExecutionId);
        var heartbeats = worker.PublishedSoFar<NodeHeartbeat>(message.ExecutionId);
        heartbeats.Should().HaveCountGreaterThanOrEqualTo(2);
        heartbeats.Should().OnlyContain(h => h.LeaseExtension == TimeSpan.FromMilliseconds(300) && h.WorkerId == "test-worker" && h.Attempt == 1);
    }

    [Fact]
    public async Task When_a_node_finishes_quickly_then_no_heartbeat_is_published()
    {
        await using var worker = await Start(new() { ["Worker:HeartbeatInterval"] = "00:00:05" });
        var message = Node("noop");

        await worker.Send(message);

        await worker.Published<NodeSucceeded>(message.ExecutionId);
        worker.PublishedSoFar<NodeHeartbeat>(message.ExecutionId).Should().BeEmpty();
    }

    [Fact]
    public async Task When_pools_are_configured_then_the_worker_consumes_each_pool_queue()
    {
        await using var worker = await Start(new() { ["Worker:Pools:0"] = "http", ["Worker:Pools:1"] = "heavy" });
        var toHttp = Node("noop");
        var toHeavy = Node("noop");

        await worker.Send(toHttp, "http");
        await worker.Send(toHeavy, "heavy");

        (await worker.Published<NodeSucceeded>(toHttp.ExecutionId)).NodeId.Should().Be("n1");
        (await worker.Published<NodeSucceeded>(toHeavy.ExecutionId)).NodeId.Should().Be("n1");
    }
}
