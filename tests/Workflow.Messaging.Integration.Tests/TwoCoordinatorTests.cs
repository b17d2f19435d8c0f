using Workflow.Messaging.Contracts;
using Workflow.Messaging.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Workflow.Messaging.Integration.Tests;

/// <summary>
/// Coordinators scale out by consuming the saga queue together: the saga row lock serializes the
/// steps of one execution whichever process runs them, so two coordinators never decide twice.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class TwoCoordinatorTests(Fleet fleet, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Executions = 16;
    private const int Steps = 3;

    public Task InitializeAsync() => fleet.EnsureRunning();

    public Task DisposeAsync() => fleet.EnsureRunning();

    [Fact]
    public async Task When_two_coordinators_share_the_saga_queue_and_one_is_killed_then_every_execution_finishes_once_without_a_double_decision()
    {
        var peer = await fleet.StartPeerCoordinator();
        var ids = new List<Guid>();
        for (var i = 0; i < Executions; i++)
            ids.Add(await fleet.Observer.Start(Workflows.Chain(Steps, "150ms")));

        // Kill the peer while executions are mid-way: some steps it took are committed, some not.
        await fleet.Observer.WaitFor<NodeSucceeded>(s => ids.Contains(s.ExecutionId) && s.NodeId == "step2", TimeSpan.FromSeconds(60),
            "executions are under way on both coordinators");
        await peer.Kill();
        output.WriteLine($"killed {peer.Name} (kill -9) mid-run");

        try
        {
            foreach (var id in ids)
                await fleet.Observer.Succeeded(id, TimeSpan.FromSeconds(120));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            output.WriteLine(fleet.Logs());
            throw;
        }

        foreach (var id in ids)
            fleet.Observer.ShouldHaveBeenDecidedOnce(id, Steps);
    }
}
