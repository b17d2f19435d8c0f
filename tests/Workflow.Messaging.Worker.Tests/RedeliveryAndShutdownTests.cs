using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;
using static Workflow.Messaging.Worker.Tests.WorkerHarness;

namespace Workflow.Messaging.Worker.Tests;

public class RedeliveryAndShutdownTests
{
    [Fact]
    public async Task When_the_same_ExecuteNode_is_delivered_twice_then_the_executor_sees_the_same_idempotency_key()
    {
        await using var worker = await Start(services: s => s.AddNodeExecutor<RecordingNode>());
        var message = Node("record");

        // A broker redelivery carries the same body under a new transport delivery.
        await worker.Send(message);
        await worker.Send(message);

        await WaitUntil(() => RecordingNode.Keys.Count(k => k.ExecutionId == message.ExecutionId) == 2);
        RecordingNode.Keys.Where(k => k.ExecutionId == message.ExecutionId).Select(k => k.Key)
            .Should().Equal(message.IdempotencyKey, message.IdempotencyKey);
    }

    [Fact]
    public async Task When_the_host_stops_then_an_attempt_that_ends_within_the_grace_period_is_reported()
    {
        // Announced at once: the NodeStarted tells the test that the attempt runs.
        var worker = await Start(new() { ["Worker:ShutdownGracePeriod"] = "00:00:05", ["Worker:StartAnnouncementDelay"] = "00:00:00" });
        var message = Node("delay", """{"duration":"500ms"}""");
        await worker.Send(message);
        await worker.Published<NodeStarted>(message.ExecutionId);

        await worker.DisposeAsync();

        worker.PublishedSoFar<NodeSucceeded>(message.ExecutionId).Should().ContainSingle();
    }

    [Fact]
    public async Task When_the_grace_period_ends_then_the_attempt_is_handed_back_without_a_result_or_fault()
    {
        var worker = await Start(new() { ["Worker:ShutdownGracePeriod"] = "00:00:00.300" });
        var message = Node("delay", """{"duration":"30s"}""", timeout: TimeSpan.FromMinutes(1));
        await worker.Send(message);
        await worker.Published<NodeStarted>(message.ExecutionId);

        var stopping = worker.DisposeAsync().AsTask();
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));

        worker.PublishedSoFar<NodeFailed>(message.ExecutionId).Should().BeEmpty();
        worker.PublishedSoFar<NodeSucceeded>(message.ExecutionId).Should().BeEmpty();
        var nothingMore = new CancellationToken(canceled: true);
        worker.Harness.Published.Select<Fault<ExecuteNode>>(nothingMore).Should().BeEmpty();
        var consumed = worker.Harness.Consumed.Select<ExecuteNode>(m => m.Context.Message.ExecutionId == message.ExecutionId, nothingMore).Single();
        consumed.Exception.Should().BeAssignableTo<OperationCanceledException>("the delivery must end unacknowledged so the broker redelivers it");
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!condition())
            await Task.Delay(20, timeout.Token);
    }
}
