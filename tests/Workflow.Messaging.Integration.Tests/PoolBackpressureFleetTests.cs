using Workflow.Messaging.Contracts;
using Workflow.Messaging.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Workflow.Messaging.Integration.Tests;

/// <summary>
/// Pool-depth backpressure on the real fleet: the coordinator reads the depth of a bounded pool's
/// RabbitMQ queue (a passive declare), so a pool nobody consumes fills up to its bound and then new
/// executions queue instead of adding to it; a worker for the pool drains it and they all run.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class PoolBackpressureFleetTests(Fleet fleet, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public Task InitializeAsync() => fleet.EnsureRunning();

    public Task DisposeAsync() => fleet.EnsureRunning();

    [Fact]
    public async Task When_a_pool_queue_without_consumers_fills_past_its_bound_then_new_executions_queue_and_all_run_once_a_worker_drains_it()
    {
        var definition = Workflows.OnPool("backpressure", Fleet.BackloggedPool, "20ms");
        var queue = NodePools.QueueName(Fleet.BackloggedPool);
        var ids = new List<Guid>();

        // Starts one at a time until the coordinator's reading of the queue closes the pool: every one
        // before that dispatched its node into the queue, which nobody consumes.
        ExecutionQueued? firstQueued = null;
        for (var i = 0; i < 60 && firstQueued is null; i++)
        {
            var id = await fleet.Observer.Start(definition);
            ids.Add(id);
            var outcome = await fleet.Observer.WaitFor<object>(e => e is ExecutionStarted s && s.ExecutionId == id || e is ExecutionQueued q && q.ExecutionId == id,
                Patience, $"execution {id} started or queued");
            firstQueued = outcome as ExecutionQueued;
        }
        firstQueued.Should().NotBeNull("the pool's queue grows past its bound and the coordinator reads it every 500 ms");
        var admittedBeforeTheGate = ids.Count - 1;
        admittedBeforeTheGate.Should().BeGreaterThan(Fleet.BackloggedPoolBound, "the pool closes only once its queue is deeper than the bound");
        firstQueued!.WaitingFor.Should().ContainSingle().Which.Should().StartWith($"pool:{Fleet.BackloggedPool} (depth ").And.EndWith($", bound {Fleet.BackloggedPoolBound})");
        (await BrokerManagement.MessagesReady(fleet.VirtualHost, queue)).Should().BeGreaterThan(Fleet.BackloggedPoolBound);

        // Nothing drains the queue, so the pool stays closed: every further start waits.
        var later = new List<Guid>();
        for (var i = 0; i < 5; i++)
            later.Add(await fleet.Observer.Start(definition));
        foreach (var id in later)
            await fleet.Observer.WaitFor<ExecutionQueued>(q => q.ExecutionId == id, Patience, $"execution {id} queued behind the pool");
        ids.AddRange(later);
        var queued = ids.Skip(admittedBeforeTheGate).ToList();
        fleet.Observer.Recorded<ExecutionStarted>(s => queued.Contains(s.ExecutionId)).Should().BeEmpty("no queued execution runs while its pool is past its bound");

        var worker = await fleet.StartPoolWorker(Fleet.BackloggedPool);
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
        finally
        {
            await worker.Kill();
        }

        output.WriteLine($"{admittedBeforeTheGate} ran into the empty pool before it closed; {queued.Count} waited for it ({firstQueued.WaitingFor[0]})");
        foreach (var id in queued)
        {
            var queuedAt = fleet.Observer.Recorded<ExecutionQueued>(q => q.ExecutionId == id).Min(q => q.QueuedAt);
            fleet.Observer.Recorded<ExecutionStarted>(s => s.ExecutionId == id).Should().ContainSingle()
                .Which.StartedAt.Should().BeOnOrAfter(queuedAt, "a queued execution starts once the pool lets it in");
        }
        (await BrokerManagement.MessagesReady(fleet.VirtualHost, queue)).Should().Be(0, "the pool's worker took everything");
    }
}
