using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Attempts;
using Workflow.Messaging.Coordinator.Tests.Persistence;
using static Workflow.Messaging.Coordinator.Tests.Define;

namespace Workflow.Messaging.Coordinator.Tests.Attempts;

/// <summary>
/// A lost node is found in seconds: an attempt that started and went silent is dispatched again
/// (same attempt, same idempotency key) after <see cref="CoordinatorOptions.SilentAttemptAfter"/>,
/// long before its lease; one that keeps sending heartbeats is left alone; one that never started
/// waits for its lease. Run on each attempt store: in memory, SQLite and PostgreSQL.
/// </summary>
public abstract class SilentAttemptTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : CoordinatorDatabase
{
    // An upper bound for a loaded 2-core machine; every wait ends on an event, not on this.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    // Fifteen of the harness workers' 200 ms heartbeat intervals: on a 2-core machine with a load
    // of 40 a heartbeat can be a second late, and a false alarm here would be a real re-dispatch.
    private static readonly TimeSpan SilentAfter = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task When_a_started_attempt_goes_silent_then_the_same_attempt_is_dispatched_again_after_the_silent_period_not_the_lease()
    {
        await using var h = await StartAsync();
        var pool = h.Services.GetRequiredService<ManualPool>();
        var id = await h.StartAsync(Parse("""
            { "id": "silent", "nodes": [ { "id": "lost", "type": "delay", "pool": "manual", "parameters": { "duration": "1ms" } } ] }
            """));
        var first = await pool.NextAsync(Patience);

        // The test is the worker: it starts the attempt, then dies without another word.
        var started = Stopwatch.GetTimestamp();
        await h.PublishAsync(new NodeStarted { ExecutionId = id, NodeId = "lost", Attempt = first.Attempt, WorkerId = "doomed", StartedAt = DateTime.UtcNow });
        var again = await pool.NextAsync(Patience);
        var silentFor = Stopwatch.GetElapsedTime(started);

        again.IdempotencyKey.Should().Be(first.IdempotencyKey, "it is the same attempt, so side effects can deduplicate");
        again.Attempt.Should().Be(1);
        silentFor.Should().BeGreaterThanOrEqualTo(SilentAfter, "a worker is presumed lost only after a whole silent period");
        silentFor.Should().BeLessThan(SilentAfter + TimeSpan.FromSeconds(30), "the lease (5 min node timeout + 5 min grace) is not what found it");
        h.SentSoFar<NodeAttemptSilent>(m => m.ExecutionId == id).Should().ContainSingle().Which.WorkerId.Should().Be("doomed");

        // Another worker runs the redelivery and reports it.
        await h.PublishAsync(new NodeSucceeded { ExecutionId = id, NodeId = "lost", Attempt = 1, Output = JsonSerializer.SerializeToElement(new { ok = true }), Ports = ["main"], WorkerId = "rescuer" });
        await h.WaitForAsync(id, m => m.Succeeded);
        pool.Pending.Should().Be(0, "one redelivery was enough");
        await using var scope = h.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<IAttemptStore>().HeardFromSinceAsync(id, DateTime.UnixEpoch, CancellationToken.None))
            .Should().BeEmpty("the attempt's result ended its watch");
    }

    [Fact]
    public async Task When_a_long_node_keeps_sending_heartbeats_then_it_is_never_dispatched_again()
    {
        await using var h = await StartAsync();
        var id = await h.StartAsync(Parse("""
            { "id": "long", "nodes": [ { "id": "long", "type": "gate", "timeout": "5m" } ] }
            """));
        await h.Gates.For("long").Entered.Task.WaitAsync(Patience);

        // 50 heartbeats 200 ms apart: the node has run for more than three silent periods.
        await h.Services.GetRequiredService<HeartbeatWitness>().HeardAsync(id, "long", 50).WaitAsync(Patience);
        h.Gates.For("long").Open.TrySetResult();
        await h.WaitForAsync(id, m => m.Succeeded);

        h.SentSoFar<NodeAttemptSilent>(m => m.ExecutionId == id).Should().BeEmpty("the worker was heard from all along");
        h.Gates.For("long").Entries.Should().Be(1, "one delivery ran the node");
        using var now = new CancellationTokenSource();
        now.Cancel();
        h.Saga.Consumed.Select<NodeHeartbeat>(now.Token).Should().BeEmpty("heartbeats go to the attempt tracker, not through a saga step");
    }

    [Fact]
    public async Task When_an_attempt_never_starts_then_it_is_not_dispatched_again_before_its_lease_runs_out()
    {
        // Lease: 100 ms timeout + 8 s grace, more than two silent periods; nothing but the lease may end it.
        await using var h = await StartAsync(o => o.LeaseGrace = TimeSpan.FromSeconds(8));
        var pool = h.Services.GetRequiredService<ManualPool>();
        var id = await h.StartAsync(Parse("""
            { "id": "queued", "nodes": [ { "id": "queued", "type": "delay", "pool": "manual", "timeout": "100ms", "parameters": { "duration": "1ms" } } ] }
            """));
        // Delivered but never started: as far as the coordinator can tell, it waits behind a backlog.
        await pool.NextAsync(Patience);

        await h.WaitForAsync(id, m => m.Failed);

        (await h.LoadAsync(id)).ErrorJson.Should().Contain("lease.expired");
        pool.Pending.Should().Be(0, "an attempt that never started is not dispatched again before its lease");
        h.SentSoFar<NodeAttemptSilent>(m => m.ExecutionId == id).Should().BeEmpty();
    }

    private Task<ExecutionHarness> StartAsync(Action<CoordinatorOptions>? configure = null) =>
        ExecutionHarness.StartAsync(services =>
            {
                services.AddSingleton<ManualPool>();
                services.AddSingleton<HeartbeatWitness>();
                services.Configure<CoordinatorOptions>(o =>
                {
                    o.SilentAttemptAfter = SilentAfter;
                    o.AttemptWatchInterval = TimeSpan.FromMilliseconds(100);
                    configure?.Invoke(o);
                });
            },
            database.Options,
            bus =>
            {
                bus.AddConsumer<ManualPoolConsumer, ManualPoolConsumerDefinition>();
                bus.AddConsumer<HeartbeatWitnessConsumer>();
            });
}

// One collection: run side by side, the three would starve each other's heartbeats of CPU on a
// 2-core machine and measure the machine, not the watchdog.
[CollectionDefinition(Name)]
public sealed class SilentAttemptCollection
{
    public const string Name = "silent attempts";
}

[Collection(SilentAttemptCollection.Name)]
public sealed class MemorySilentAttemptTests(MemoryCoordinatorDatabase database) : SilentAttemptTests<MemoryCoordinatorDatabase>(database);

[Collection(SilentAttemptCollection.Name)]
public sealed class SqliteSilentAttemptTests(SqliteCoordinatorDatabase database) : SilentAttemptTests<SqliteCoordinatorDatabase>(database);

[Collection(SilentAttemptCollection.Name)]
public sealed class PostgresSilentAttemptTests(PostgresCoordinatorDatabase database) : SilentAttemptTests<PostgresCoordinatorDatabase>(database);
