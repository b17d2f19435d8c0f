using MassTransit;
using Workflow.Messaging.Contracts;
using static Workflow.Messaging.Worker.Tests.WorkerHarness;

namespace Workflow.Messaging.Worker.Tests;

public class ReportPublishingTests
{
    [Fact]
    public async Task When_the_broker_never_confirms_a_result_then_the_worker_publishes_it_again_and_the_message_does_not_fault()
    {
        var hang = new HangFirstPublish<NodeSucceeded>();
        await using var worker = await Start(
            new Dictionary<string, string?> { ["Worker:PublishTimeout"] = "00:00:00.300" },
            bus: cfg => cfg.ConfigurePublish(p => p.UseFilter(hang)));
        var message = Node("noop", input: """{"order":7}""");

        await worker.Send(message);

        var succeeded = await worker.Published<NodeSucceeded>(message.ExecutionId);
        succeeded.Output.GetProperty("order").GetInt32().Should().Be(7);
        hang.Hung.Should().Be(1, "the first NodeSucceeded was held like a publish whose confirm was lost");
        (await worker.Harness.Consumed.Any<ExecuteNode>(m => m.Context.Message.ExecutionId == message.ExecutionId)).Should().BeTrue();
        (await worker.Harness.Published.Any<Fault<ExecuteNode>>()).Should().BeFalse("a report that could not be published is retried, not faulted");
        worker.PublishedSoFar<NodeSucceeded>(message.ExecutionId).Should().ContainSingle();
        hang.Release();
    }

    /// <summary>Holds the first publish of <typeparamref name="T"/> until the test ends, ignoring its token.</summary>
    private sealed class HangFirstPublish<T> : IFilter<PublishContext> where T : class
    {
        private readonly TaskCompletionSource _never = new();
        private int _hung;

        public int Hung => Volatile.Read(ref _hung);

        /// <summary>Lets the held publish go, so stopping the bus does not wait for it.</summary>
        public void Release() => _never.TrySetResult();

        public async Task Send(PublishContext context, IPipe<PublishContext> next)
        {
            if (context is PublishContext<T> && Interlocked.CompareExchange(ref _hung, 1, 0) == 0)
                await _never.Task;
            await next.Send(context);
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("hangFirstPublish");
    }
}
