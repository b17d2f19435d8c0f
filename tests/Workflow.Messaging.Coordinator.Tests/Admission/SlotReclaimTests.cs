using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Admission;
using Workflow.Messaging.Coordinator.Persistence;
using Workflow.Messaging.Coordinator.Tests.Persistence;
using static Workflow.Messaging.Coordinator.Tests.Define;

namespace Workflow.Messaging.Coordinator.Tests.Admission;

/// <summary>A slot whose holder is gone comes back once its lease passed: on the databases, where slots outlive processes.</summary>
public abstract class SlotReclaimTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : CoordinatorDatabase
{
    [Fact]
    public async Task When_the_holder_of_the_only_slot_is_gone_then_the_sweep_gives_it_back_once_its_lease_passed_and_the_queued_execution_runs()
    {
        await using var h = await ExecutionHarness.StartAsync(persistence: database.Options);
        var definition = Parse("""{ "id": "orphaned", "settings": { "maxConcurrentExecutions": 1 }, "nodes": [ { "id": "a", "type": "noop" } ] }""");
        var ghost = NewId.NextGuid();
        var now = DateTime.UtcNow;
        await using (var scope = h.Services.CreateAsyncScope())
        {
            // A holder with no saga row: what a deleted or never-committed execution leaves behind.
            var store = scope.ServiceProvider.GetRequiredService<IAdmissionStore>();
            (await store.TryAcquireAsync(AdmissionHolder.Execution(ghost), [new LimitDemand("workflow:orphaned", 1)], now, now + TimeSpan.FromHours(1), CancellationToken.None)).Should().BeTrue();
        }

        var waiting = await h.StartAsync(definition);
        await h.WaitForAsync(waiting, m => m.Queued);
        var sweeper = h.Services.GetRequiredService<AdmissionSweeper>();
        await sweeper.SweepAsync(CancellationToken.None);
        (await h.LoadAsync(waiting)).CurrentState.Should().Be("Queued", "the lease has an hour to run, so the slot is not taken from its holder yet");

        await using (var scope = h.Services.CreateAsyncScope())
        {
            // Time passes for the slot: its lease ends.
            var db = scope.ServiceProvider.GetRequiredService<CoordinatorDbContext>();
            (await db.Set<LimitSlotRow>().Where(s => s.ExecutionId == ghost)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseUntil, now - TimeSpan.FromSeconds(1)))).Should().Be(1);
        }
        (await sweeper.SweepAsync(CancellationToken.None)).Should().Contain("workflow:orphaned");

        await h.WaitForAsync(waiting, m => m.Succeeded);
    }
}

public sealed class SqliteSlotReclaimTests(SqliteCoordinatorDatabase database) : SlotReclaimTests<SqliteCoordinatorDatabase>(database);

public sealed class PostgresSlotReclaimTests(PostgresCoordinatorDatabase database) : SlotReclaimTests<PostgresCoordinatorDatabase>(database);
