using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Executions;
using Workflow.Messaging.Coordinator.Leases;
using Workflow.Messaging.Coordinator.Tests.Attempts;
using Workflow.Messaging.Coordinator.Tests.Persistence;
using static Workflow.Messaging.Coordinator.Tests.Define;

namespace Workflow.Messaging.Coordinator.Tests.Leases;

/// <summary>
/// Leases are checked by the coordinators' sweep over <c>LeaseCheckAt</c>, not by a timer per
/// execution: a node whose result is lost is found at its lease and tried again; an ended
/// execution is never swept; two coordinators sending the same check retry the node once. Run on
/// each place executions live: the in-memory saga repository, SQLite and PostgreSQL.
/// </summary>
public abstract class LeaseSweepTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : CoordinatorDatabase
{
    // An upper bound for a loaded 2-core machine; every wait ends on an event, not on this.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    // Node timeout + grace: short, so the lease runs out within the test, and long enough that the
    // test reads the row before it does.
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Lease = TimeSpan.FromMilliseconds(200) + Grace;

    // Far past any lease these tests set: a sweep "then" finds every check that will ever be due.
    private static readonly TimeSpan Tomorrow = TimeSpan.FromDays(1);

    private const string LostNode = """
        { "id": "lost-result", "nodes": [ { "id": "lost", "type": "delay", "pool": "manual", "timeout": "200ms",
          "parameters": { "duration": "1ms" }, "retry": { "maxAttempts": 2, "initialDelay": "10ms" } } ] }
        """;

    private const string WaitingNode = """
        { "id": "ends", "nodes": [ { "id": "work", "type": "delay", "pool": "manual", "parameters": { "duration": "1ms" } } ] }
        """;

    [Fact]
    public async Task When_a_node_result_is_lost_then_the_sweep_finds_it_at_its_lease_and_the_node_is_dispatched_again()
    {
        await using var h = await StartAsync();
        var pool = h.Services.GetRequiredService<ManualPool>();
        var id = await h.StartAsync(Parse(LostNode));

        // The test is the worker: it takes the attempt and its result never arrives (an attempt
        // shorter than the announcement delay is never announced, so only its lease can find it).
        var first = await pool.NextAsync(id, Patience);
        var leaseRanOut = first.DispatchedAt + Lease;
        StoredTime.Same((await h.LoadAsync(id)).LeaseCheckAt, leaseRanOut).Should().BeTrue("the saga sets the check time to the attempt's lease and schedules nothing");
        var second = await pool.NextAsync(id, Patience);

        second.Attempt.Should().Be(2, "the expired attempt failed retryably and the retry went out");
        second.DispatchedAt.Should().BeOnOrAfter(leaseRanOut.AddMicroseconds(-1), "nothing gives up on an attempt before its lease");
        var checks = SentSoFar<NodeLeaseCheckDue>(h, x => x.ExecutionId == id);
        checks.Should().NotBeEmpty();
        checks.Should().OnlyContain(c => StoredTime.Same(leaseRanOut, c.Context.Message.CheckAt),
            "the sweep sends the check time stored on the row");
        checks.Should().OnlyContain(c => c.StartTime >= leaseRanOut.AddMicroseconds(-1),
            "every check was sent once due, by the sweep, not scheduled ahead at dispatch");

        await h.PublishAsync(new NodeSucceeded { ExecutionId = id, NodeId = "lost", Attempt = 2, Output = JsonSerializer.SerializeToElement(new { ok = true }), Ports = ["main"], WorkerId = "rescuer" });
        await h.WaitForAsync(id, m => m.Succeeded);
        (await h.LoadAsync(id)).LeaseCheckAt.Should().BeNull("an ended execution keeps no check time");
    }

    [Fact]
    public async Task When_an_execution_has_succeeded_then_it_is_never_swept()
    {
        await using var h = await StartAsync();
        var pool = h.Services.GetRequiredService<ManualPool>();
        var id = await h.StartAsync(Parse(WaitingNode));
        var attempt = await pool.NextAsync(id, Patience);
        (await DueTomorrowAsync(h)).Should().Contain(id, "while its node runs, the execution has a lease to check");

        await h.PublishAsync(new NodeSucceeded { ExecutionId = id, NodeId = "work", Attempt = attempt.Attempt, Output = JsonSerializer.SerializeToElement(new { ok = true }), Ports = ["main"], WorkerId = "test" });
        await h.WaitForAsync(id, m => m.Succeeded);

        await ShouldNeverBeSweptAsync(h, id);
    }

    [Fact]
    public async Task When_an_execution_is_cancelled_while_its_node_runs_then_it_is_never_swept()
    {
        await using var h = await StartAsync();
        var pool = h.Services.GetRequiredService<ManualPool>();
        var id = await h.StartAsync(Parse(WaitingNode));
        await pool.NextAsync(id, Patience);
        (await DueTomorrowAsync(h)).Should().Contain(id);

        await h.PublishAsync(new CancelExecution { ExecutionId = id, Reason = "test" });
        await h.WaitForAsync(id, m => m.Cancelled);

        await ShouldNeverBeSweptAsync(h, id);
    }

    [Fact]
    public async Task When_two_coordinators_send_the_same_lease_check_then_the_node_is_retried_once()
    {
        // The harness's own sweep waits an hour: the two sweeps below are the only ones.
        await using var h = await StartAsync(o => o.LeaseSweepInterval = TimeSpan.FromHours(1));
        var pool = h.Services.GetRequiredService<ManualPool>();
        var id = await h.StartAsync(Parse(LostNode));
        await pool.NextAsync(id, Patience);
        await DueAsync(h, id);

        var mine = h.LeaseSweeper;
        var check = (await mine.SweepAsync(CancellationToken.None)).Should().ContainSingle(c => c.ExecutionId == id).Which;
        // The other coordinator read the same row before the saga acted on the first copy and sends the
        // same check. (Sweeping with a second LeaseSweeper here would race the saga: once it has acted,
        // the row is no longer due and the peer rightly finds nothing.)
        await h.PublishAsync(new NodeLeaseCheckDue { ExecutionId = check.ExecutionId, CheckAt = check.CheckAt });
        (await mine.SweepAsync(CancellationToken.None)).Should().NotContain(c => c.ExecutionId == id,
            "a coordinator does not send a check again while the saga has not acted on its first, nor once it has");

        var second = await pool.NextAsync(id, Patience);
        second.Attempt.Should().Be(2);
        var consumed = 0;
        await foreach (var _ in h.Saga.Consumed.SelectAsync<NodeLeaseCheckDue>(x => x.Context.Message.ExecutionId == id))
            if (++consumed == 2)
                break;
        consumed.Should().Be(2, "both copies reached the saga");
        await h.PublishAsync(new NodeSucceeded { ExecutionId = id, NodeId = "lost", Attempt = 2, Output = JsonSerializer.SerializeToElement(new { ok = true }), Ports = ["main"], WorkerId = "rescuer" });
        await h.WaitForAsync(id, m => m.Succeeded);
        pool.Delivered.Where(m => m.ExecutionId == id).Select(m => m.Attempt).Should().Equal([1, 2], "the second copy found the check already acted on");
    }

    // With their send times: a check sent before it was due was scheduled, not swept.
    private static List<ISentMessage<T>> SentSoFar<T>(ExecutionHarness h, Func<T, bool> filter) where T : class
    {
        using var now = new CancellationTokenSource();
        now.Cancel();
        return h.Harness.Sent.Select<T>(x => filter(x.Context.Message), now.Token).ToList();
    }

    private static async Task ShouldNeverBeSweptAsync(ExecutionHarness h, Guid id)
    {
        (await h.LoadAsync(id)).LeaseCheckAt.Should().BeNull("the saga clears the check time when the execution ends");
        (await DueTomorrowAsync(h)).Should().NotContain(id);
        var tomorrow = DateTime.UtcNow + Tomorrow;
        (await h.LeaseSweeper.SweepAsync(tomorrow, CancellationToken.None)).Should().NotContain(c => c.ExecutionId == id);
        h.SentSoFar<NodeLeaseCheckDue>(m => m.ExecutionId == id).Should().BeEmpty("no check was ever sent for it");
    }

    private static Task<IReadOnlyList<Guid>> DueTomorrowAsync(ExecutionHarness h) => DueAtAsync(h, DateTime.UtcNow + Tomorrow);

    private static async Task<IReadOnlyList<Guid>> DueAtAsync(ExecutionHarness h, DateTime at)
    {
        await using var scope = h.Services.CreateAsyncScope();
        var due = await scope.ServiceProvider.GetRequiredService<IDueLeaseChecks>().DueAsync(at, LeaseSweeper.BatchSize, CancellationToken.None);
        return due.Select(d => d.ExecutionId).ToList();
    }

    // The saga acts on the clock, not on the sweep's word: a check is only worth sending once the
    // lease has really run out. Polled, as the sweep itself does: the row has no notification.
    private static async Task DueAsync(ExecutionHarness h, Guid id)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!(await DueAtAsync(h, DateTime.UtcNow)).Contains(id))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the execution's lease check should come due");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    private Task<ExecutionHarness> StartAsync(Action<CoordinatorOptions>? configure = null) =>
        ExecutionHarness.StartAsync(services =>
            {
                services.AddSingleton<ManualPool>();
                services.Configure<CoordinatorOptions>(o =>
                {
                    o.LeaseGrace = Grace;
                    o.LeaseSweepInterval = TimeSpan.FromMilliseconds(100);
                    configure?.Invoke(o);
                });
            },
            database.Options,
            bus => bus.AddConsumer<ManualPoolConsumer, ManualPoolConsumerDefinition>());
}

public sealed class MemoryLeaseSweepTests(MemoryCoordinatorDatabase database) : LeaseSweepTests<MemoryCoordinatorDatabase>(database);

public sealed class SqliteLeaseSweepTests(SqliteCoordinatorDatabase database) : LeaseSweepTests<SqliteCoordinatorDatabase>(database);

public sealed class PostgresLeaseSweepTests(PostgresCoordinatorDatabase database) : LeaseSweepTests<PostgresCoordinatorDatabase>(database);
