using Microsoft.Extensions.Options;

namespace Workflow.Messaging.Worker.Tests;

public class WorkerUnitTests
{
    [Theory]
    [InlineData(null, "node-pool-default")]
    [InlineData("", "node-pool-default")]
    [InlineData("http", "node-pool-http")]
    [InlineData(" Heavy ", "node-pool-heavy")]
    public void QueueName_is_one_queue_per_pool(string? pool, string expected) =>
        WorkerEndpoints.QueueName(pool).Should().Be(expected);

    [Fact]
    public void Definition_takes_its_concurrency_from_the_options()
    {
        var definition = new ExecuteNodeConsumerDefinition(Options.Create(new WorkerOptions { ConcurrentMessageLimit = 3 }));

        definition.ConcurrentMessageLimit.Should().Be(3);
    }

    [Fact]
    public void Pools_default_to_the_default_pool()
    {
        new WorkerOptions().EffectivePools.Should().Equal("default");
        new WorkerOptions { Pools = ["http", "heavy"] }.EffectivePools.Should().Equal("http", "heavy");
    }

    [Fact]
    public void A_cancel_that_overtakes_the_attempt_cancels_it_when_it_starts()
    {
        var running = new RunningNodes(Options.Create(new WorkerOptions()), TimeProvider.System);
        var executionId = Guid.NewGuid();

        running.Cancel(executionId, "stop");
        using var attempt = running.Start(executionId);

        attempt.Token.IsCancellationRequested.Should().BeTrue();
        attempt.CancelReason.Should().Be("stop");
    }

    [Fact]
    public void A_cancel_only_touches_attempts_of_its_execution()
    {
        var running = new RunningNodes(Options.Create(new WorkerOptions()), TimeProvider.System);
        using var mine = running.Start(Guid.NewGuid());
        using var other = running.Start(Guid.NewGuid());

        running.Cancel(mine.ExecutionId, "stop").Should().Be(1);

        mine.Token.IsCancellationRequested.Should().BeTrue();
        other.Token.IsCancellationRequested.Should().BeFalse();
    }

    [Fact]
    public void Finished_attempts_leave_the_registry()
    {
        var running = new RunningNodes(Options.Create(new WorkerOptions()), TimeProvider.System);
        var attempt = running.Start(Guid.NewGuid());

        attempt.Dispose();

        running.Count.Should().Be(0);
    }
}
