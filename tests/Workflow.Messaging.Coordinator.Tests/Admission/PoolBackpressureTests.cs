using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Admission;
using Workflow.Messaging.Coordinator.Admission.Pools;
using Workflow.Messaging.Coordinator.Tests.Persistence;
using Workflow.Messaging.Worker;
using static Workflow.Messaging.Coordinator.Tests.Define;

namespace Workflow.Messaging.Coordinator.Tests.Admission;

/// <summary>
/// Pool-depth backpressure: a pool bounded at 10 whose queue (as a fake reader says) holds 50 keeps
/// new executions that dispatch to it in Queued; when the depth falls they run. Each test uses a
/// pool of its own, which the harness's workers consume.
/// </summary>
public abstract class PoolBackpressureTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : CoordinatorDatabase
{
    private const int Bound = 10;

    private static WorkflowDefinition UsesPool(string id, string pool, string nodeType = "delay", string settings = "{}") => Parse($$"""
        {
          "id": "{{id}}",
          "settings": {{settings}},
          "nodes": [
            { "id": "start", "type": "noop" },
            { "id": "work", "type": "{{nodeType}}", "pool": "{{pool}}", "parameters": { "duration": "5ms" } }
          ],
          "connections": [ { "from": "start", "to": "work" } ]
        }
        """);

    private Task<ExecutionHarness> StartAsync(string pool, FakePoolDepthReader reader) =>
        AdmissionEvents.StartRecordingAsync(s =>
        {
            s.AddSingleton<IPoolDepthReader>(reader);
            s.Configure<AdmissionOptions>(o => o.Pools[pool] = new PoolLimit { MaxQueueDepth = Bound });
            s.Configure<WorkerOptions>(o => o.Pools = [NodePools.Default, pool]);
        }, database);

    [Fact]
    public async Task When_a_pool_queue_is_past_its_bound_then_new_executions_queue_naming_the_pool_and_run_once_it_drains()
    {
        var reader = new FakePoolDepthReader();
        await using var h = await StartAsync("bp-drain", reader);
        var monitor = h.Services.GetRequiredService<PoolDepthMonitor>();
        reader.Depths[NodePools.QueueName("bp-drain")] = 50;
        (await monitor.ReadOnceAsync(CancellationToken.None)).Should().BeEmpty("the gate closes, it does not open");

        var definition = UsesPool("pool-drain", "bp-drain");
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
            ids.Add(await h.StartAsync(definition));
        // Saga state first (read from the repository); the events, published in the same steps, are in by then.
        foreach (var id in ids)
            await h.WaitForAsync(id, m => m.Queued);
        foreach (var id in ids)
            (await h.EventAsync<ExecutionQueued>(q => q.ExecutionId == id)).WaitingFor.Should().Equal("pool:bp-drain (depth 50, bound 10)");
        await using (var scope = h.Services.CreateAsyncScope())
            (await scope.ServiceProvider.GetRequiredService<IAdmissionStore>().WaitingForAsync(ids[0], CancellationToken.None)).Should().Equal("pool:bp-drain");

        // A pass while the pool is still deep (the sweeper's safety net sends these) lets nobody through.
        await h.Harness.Bus.Publish(new CheckAdmission { LimitKeys = ["pool:bp-drain"] });
        (await h.Harness.Consumed.Any<CheckAdmission>(x => x.Context.Message.LimitKeys.Contains("pool:bp-drain"))).Should().BeTrue();
        foreach (var id in ids)
            (await h.LoadAsync(id)).CurrentState.Should().Be("Queued");
        h.Recorded().Of<ExecutionStarted>().Should().NotContain(s => ids.Contains(s.ExecutionId), "nothing starts while its pool is past its bound");

        reader.Depths[NodePools.QueueName("bp-drain")] = 0;
        (await monitor.ReadOnceAsync(CancellationToken.None)).Should().Equal("pool:bp-drain");
        foreach (var id in ids)
            await h.WaitForAsync(id, m => m.Succeeded);
        h.Services.GetRequiredService<PoolGates>().Reading("pool:bp-drain").Should().Be(new PoolReading(0, Bound, Closed: false));
    }

    [Fact]
    public async Task When_executions_wait_for_a_pool_and_a_workflow_limit_of_1_then_they_run_in_order_of_arrival_once_the_pool_drains()
    {
        var reader = new FakePoolDepthReader();
        await using var h = await StartAsync("bp-order", reader);
        var monitor = h.Services.GetRequiredService<PoolDepthMonitor>();
        reader.Depths[NodePools.QueueName("bp-order")] = 50;
        await monitor.ReadOnceAsync(CancellationToken.None);

        var definition = UsesPool("pool-order", "bp-order", settings: """{ "maxConcurrentExecutions": 1 }""");
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await h.StartAsync(definition));
            // One at a time, so that arrival order is the order the test started them in.
            await h.WaitForAsync(ids[^1], m => m.Queued);
        }
        (await h.EventAsync<ExecutionQueued>(q => q.ExecutionId == ids[0])).WaitingFor
            .Should().Equal("pool:bp-order (depth 50, bound 10)", "workflow:pool-order");

        reader.Depths[NodePools.QueueName("bp-order")] = 3;
        await monitor.ReadOnceAsync(CancellationToken.None);
        foreach (var id in ids)
            await h.WaitForAsync(id, m => m.Succeeded);
        foreach (var id in ids)
            await h.EventAsync<ExecutionStarted>(s => s.ExecutionId == id);
        h.Recorded().Of<ExecutionStarted>().Where(s => ids.Contains(s.ExecutionId)).OrderBy(s => s.StartedAt).Select(s => s.ExecutionId)
            .Should().Equal(ids, "the queue keeps arrival order");
    }

    [Fact]
    public async Task When_the_pool_is_below_its_bound_then_an_execution_runs_at_once_and_a_hovering_depth_does_not_reopen_a_closed_pool()
    {
        var reader = new FakePoolDepthReader();
        await using var h = await StartAsync("bp-hover", reader);
        var monitor = h.Services.GetRequiredService<PoolDepthMonitor>();
        var queue = NodePools.QueueName("bp-hover");
        reader.Depths[queue] = Bound;
        await monitor.ReadOnceAsync(CancellationToken.None);

        var first = await h.StartAsync(UsesPool("pool-hover", "bp-hover"));
        await h.WaitForAsync(first, m => m.Succeeded);
        h.Recorded().Of<ExecutionQueued>().Should().NotContain(q => q.ExecutionId == first, "a depth at the bound is not past it");

        var gates = h.Services.GetRequiredService<PoolGates>();
        reader.Depths[queue] = Bound + 1;
        await monitor.ReadOnceAsync(CancellationToken.None);
        gates.IsOpen("pool:bp-hover").Should().BeFalse();
        reader.Depths[queue] = Bound - 1;
        (await monitor.ReadOnceAsync(CancellationToken.None)).Should().BeEmpty("a closed pool opens at half its bound, not just under it");
        gates.IsOpen("pool:bp-hover").Should().BeFalse();
        reader.Depths[queue] = Bound / 2;
        (await monitor.ReadOnceAsync(CancellationToken.None)).Should().Equal("pool:bp-hover");
    }

    [Fact]
    public async Task When_an_execution_queued_only_behind_a_pool_is_cancelled_then_it_leaves_the_queue()
    {
        var reader = new FakePoolDepthReader();
        await using var h = await StartAsync("bp-cancel", reader);
        reader.Depths[NodePools.QueueName("bp-cancel")] = 50;
        await h.Services.GetRequiredService<PoolDepthMonitor>().ReadOnceAsync(CancellationToken.None);
        var id = await h.StartAsync(UsesPool("pool-cancel", "bp-cancel"));
        await h.WaitForAsync(id, m => m.Queued);

        await h.PublishAsync(new CancelExecution { ExecutionId = id, Reason = "not needed" });
        await h.WaitForAsync(id, m => m.Cancelled);
        await using var scope = h.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IAdmissionStore>();
        (await store.WaitingForAsync(id, CancellationToken.None)).Should().BeEmpty();
        (await store.SnapshotAsync(CancellationToken.None)).QueuedPerLimit.GetValueOrDefault("pool:bp-cancel").Should().Be(0);
    }

    [Fact]
    public async Task When_a_definition_uses_no_bounded_pool_then_a_deep_pool_does_not_hold_it_back()
    {
        var reader = new FakePoolDepthReader();
        await using var h = await StartAsync("bp-other", reader);
        reader.Depths[NodePools.QueueName("bp-other")] = 50;
        await h.Services.GetRequiredService<PoolDepthMonitor>().ReadOnceAsync(CancellationToken.None);

        // Inline and timer nodes put nothing on a pool's queue, and the worker node here uses the default pool.
        var id = await h.StartAsync(Parse("""
            { "id": "pool-other", "nodes": [ { "id": "a", "type": "noop", "pool": "bp-other" }, { "id": "b", "type": "delay", "parameters": { "duration": "1ms" } } ],
              "connections": [ { "from": "a", "to": "b" } ] }
            """));
        await h.WaitForAsync(id, m => m.Succeeded);
        h.Recorded().Of<ExecutionQueued>().Should().NotContain(q => q.ExecutionId == id);
    }

    /// <summary>Depths a test sets per queue; a queue it never set reads as empty.</summary>
    public sealed class FakePoolDepthReader : IPoolDepthReader
    {
        public ConcurrentDictionary<string, long> Depths { get; } = new(StringComparer.Ordinal);

        public Task<long?> ReadAsync(string queue, CancellationToken cancellationToken) =>
            Task.FromResult<long?>(Depths.GetValueOrDefault(queue));
    }
}

public sealed class MemoryPoolBackpressureTests(MemoryCoordinatorDatabase database) : PoolBackpressureTests<MemoryCoordinatorDatabase>(database);

public sealed class SqlitePoolBackpressureTests(SqliteCoordinatorDatabase database) : PoolBackpressureTests<SqliteCoordinatorDatabase>(database);

public sealed class PostgresPoolBackpressureTests(PostgresCoordinatorDatabase database) : PoolBackpressureTests<PostgresCoordinatorDatabase>(database);
