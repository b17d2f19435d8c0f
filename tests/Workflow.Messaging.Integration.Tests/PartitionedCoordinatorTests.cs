using Workflow.Messaging.Contracts;
using Workflow.Messaging.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Workflow.Messaging.Integration.Tests;

/// <summary>
/// Coordinator:Partitions: the saga queue split by execution behind a consistent-hash exchange, each
/// coordinator consuming the partitions it holds a lease on. The test switches the fleet to partitions
/// and back, so it also proves that each mode removes the other's bindings.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class PartitionedCoordinatorTests(Fleet fleet, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Partitions = 4;
    private const int Executions = 16;
    private const int Steps = 3;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Settles = TimeSpan.FromSeconds(60);

    public Task InitializeAsync() => fleet.EnsureRunning();

    // Back to the fleet's own, unpartitioned coordinator: it unbinds the hash exchange at start.
    public Task DisposeAsync() => fleet.EnsureRunning();

    [Fact]
    public async Task When_two_coordinators_partition_the_saga_queue_then_each_holds_half_and_a_killed_ones_partitions_move_to_the_other_without_a_double_decision()
    {
        await fleet.StopCoordinator();
        var first = fleet.StartPartitionedCoordinator(Partitions, Lease);
        var second = fleet.StartPartitionedCoordinator(Partitions, Lease);
        await fleet.WaitForSagaConsumers(Fleet.SagaQueue, 2);

        // Balanced: two partitions each, every partition queue consumed by exactly its holder.
        await Eventually.Holds(async () => HeldBy(await fleet.PartitionHolders(), first) == 2 && HeldBy(await fleet.PartitionHolders(), second) == 2,
            Settles, "the coordinators hold two partitions each");
        for (var partition = 0; partition < Partitions; partition++)
        {
            var queue = $"{Fleet.SagaQueue}-{partition}";
            await Eventually.Holds(async () => await BrokerManagement.Consumers(fleet.VirtualHost, queue) == 1, Settles, $"{queue} has one consumer");
        }

        var ids = new List<Guid>();
        for (var i = 0; i < Executions; i++)
            ids.Add(await fleet.Observer.Start(Workflows.Chain(Steps, "150ms")));
        await fleet.Observer.WaitFor<NodeSucceeded>(s => ids.Contains(s.ExecutionId) && s.NodeId == "step2", TimeSpan.FromSeconds(60),
            "executions are under way on both coordinators");
        // Published messages reach the partitions only, not the plain saga queue as well.
        (await BrokerManagement.MessagesReady(fleet.VirtualHost, Fleet.SagaQueue)).Should().Be(0);

        await second.Kill();
        output.WriteLine($"killed {second.Name} (kill -9) mid-run");
        try
        {
            foreach (var id in ids)
                await fleet.Observer.Succeeded(id, TimeSpan.FromSeconds(120));
            await Eventually.Holds(async () => HeldBy(await fleet.PartitionHolders(), first) == Partitions, Settles,
                "the survivor took the killed coordinator's partitions once their leases ran out");
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            output.WriteLine(fleet.Logs());
            throw;
        }

        foreach (var id in ids)
            fleet.Observer.ShouldHaveBeenDecidedOnce(id, Steps);

        await first.Stop(TimeSpan.FromSeconds(30));
        (await fleet.PartitionHolders()).Values.Should().AllSatisfy(holder => holder.Should().BeNull("a stopped coordinator hands its partitions back"));
    }

    private static int HeldBy(IReadOnlyDictionary<int, string?> holders, HostProcess coordinator) =>
        holders.Values.Count(holder => holder is not null && holder.Contains($":{coordinator.Id}:", StringComparison.Ordinal));
}
