using Workflow.Messaging.Contracts;
using Workflow.Messaging.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Workflow.Messaging.Integration.Tests;

[Collection(FleetCollection.Name)]
public sealed class CoordinatorRestartTests(Fleet fleet, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(10);

    public Task InitializeAsync() => fleet.EnsureRunning();

    public Task DisposeAsync() => fleet.EnsureRunning();

    [Fact]
    public async Task When_the_coordinator_restarts_while_a_retry_is_scheduled_then_the_retry_fires_and_the_execution_succeeds()
    {
        var executionId = await fleet.Observer.Start(Workflows.FailsOnceThenRetries($"{RetryDelay.TotalSeconds}s"));
        var retryScheduled = await fleet.Observer.WaitFor<ExecutionProgressed>(
            p => p.ExecutionId == executionId && p.Transitions.Any(t => t.NodeId == "flaky" && t.Status == NodeStatus.RetryScheduled),
            TimeSpan.FromSeconds(30), "the first attempt failed and its retry was scheduled");

        await fleet.StopCoordinator();
        output.WriteLine($"coordinator stopped {(DateTime.UtcNow - retryScheduled.At).TotalSeconds:0.0}s after the retry was scheduled");
        await fleet.StartCoordinator();
        output.WriteLine($"coordinator started again {(DateTime.UtcNow - retryScheduled.At).TotalSeconds:0.0}s after the retry was scheduled");

        try
        {
            await fleet.Observer.Succeeded(executionId, TimeSpan.FromSeconds(60));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            output.WriteLine(fleet.Logs());
            throw;
        }

        var retry = fleet.Observer.Recorded<NodeSucceeded>(s => s.ExecutionId == executionId && s.NodeId == "flaky" && s.Attempt == 2).Single();
        (retry.StartedAt!.Value - retryScheduled.At).Should().BeGreaterThan(RetryDelay - TimeSpan.FromSeconds(1), "the retry waited for its scheduled time");
    }
}
