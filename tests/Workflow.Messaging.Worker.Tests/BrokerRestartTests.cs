using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;
using static Workflow.Messaging.Worker.Tests.WorkerHarness;

namespace Workflow.Messaging.Worker.Tests;

/// <summary>
/// What a broker restart does to an attempt that has finished but not yet reported: RabbitMQ closes the channel the
/// ExecuteNode came on, and MassTransit cancels every consume of that channel at once while the report is being
/// published. <see cref="DropChannelOnFirstPublish" /> plays that moment deterministically on the in-memory bus.
/// </summary>
public class BrokerRestartTests
{
    [Fact]
    public async Task When_the_channel_closes_while_a_result_is_published_then_the_result_is_still_published()
    {
        var drop = new DropChannelOnFirstPublish();
        await using var worker = await Start(
            services: s => s.AddNodeExecutor<RecordingNode>(),
            bus: cfg =>
            {
                cfg.ConnectConsumeObserver(drop);
                cfg.ConfigurePublish(p => p.UseFilter(drop));
            });
        var message = Node("record");

        await worker.Send(message);

        var succeeded = await worker.Published<NodeSucceeded>(message.ExecutionId);
        succeeded.Attempt.Should().Be(message.Attempt);
        drop.Dropped.Should().Be(1, "the first NodeSucceeded was lost with its channel and its consume was cancelled");
        var consumed = await ConsumedOnce(worker, message);
        consumed.Exception.Should().BeAssignableTo<OperationCanceledException>(
            "the ExecuteNode stays unacknowledged, so the broker keeps it until a result is out");
        RunsOf(message).Should().Be(1);
    }

    [Fact]
    public async Task When_an_attempt_that_finished_here_is_redelivered_then_its_result_is_published_again_without_running_the_node()
    {
        var drop = new DropChannelOnFirstPublish();
        await using var worker = await Start(
            services: s => s.AddNodeExecutor<RecordingNode>(),
            bus: cfg =>
            {
                cfg.ConnectConsumeObserver(drop);
                cfg.ConfigurePublish(p => p.UseFilter(drop));
            });
        var message = Node("record");
        await worker.Send(message);
        await worker.Published<NodeSucceeded>(message.ExecutionId);

        // The broker hands the unacknowledged ExecuteNode out again once it is back.
        await worker.Send(message);

        await WaitUntil(() => worker.PublishedSoFar<NodeSucceeded>(message.ExecutionId).Count == 2);
        worker.PublishedSoFar<NodeSucceeded>(message.ExecutionId).Should().OnlyContain(s => s.Attempt == message.Attempt);
        RunsOf(message).Should().Be(1, "a finished attempt is reported again, not run a second time");
    }

    private static int RunsOf(ExecuteNode message) => RecordingNode.Keys.Count(k => k.ExecutionId == message.ExecutionId);

    private static async Task<MassTransit.Testing.IReceivedMessage<ExecuteNode>> ConsumedOnce(WorkerHarness worker, ExecuteNode message)
    {
        (await worker.Harness.Consumed.Any<ExecuteNode>(m => m.Context.Message.ExecutionId == message.ExecutionId)).Should().BeTrue();
        return worker.Harness.Consumed.Select<ExecuteNode>(m => m.Context.Message.ExecutionId == message.ExecutionId, new CancellationToken(canceled: true)).Single();
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!condition())
            await Task.Delay(20, timeout.Token);
    }

    /// <summary>
    /// On the first NodeSucceeded, does what a broker restart does at that moment: the publish fails, and the consume
    /// it came from is cancelled, as MassTransit cancels the consumes of a closed channel.
    /// </summary>
    private sealed class DropChannelOnFirstPublish : IFilter<PublishContext>, IConsumeObserver
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, ReceiveContext> _deliveries = new();
        private int _dropped;

        public int Dropped => Volatile.Read(ref _dropped);

        public Task Send(PublishContext context, IPipe<PublishContext> next)
        {
            if (context is PublishContext<NodeSucceeded> succeeded && Interlocked.CompareExchange(ref _dropped, 1, 0) == 0)
            {
                if (_deliveries.TryGetValue(succeeded.Message.ExecutionId, out var delivery) && delivery is MassTransit.Transports.BaseReceiveContext receive)
                    receive.Cancel();
                throw new InvalidOperationException("The channel was closed by the broker: CONNECTION_FORCED - shutdown");
            }

            return next.Send(context);
        }

        public Task PreConsume<T>(ConsumeContext<T> context) where T : class
        {
            if (context.Message is ExecuteNode node)
                _deliveries[node.ExecutionId] = context.ReceiveContext;
            return Task.CompletedTask;
        }

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;

        public void Probe(ProbeContext context) => context.CreateFilterScope("dropChannelOnFirstPublish");
    }
}
