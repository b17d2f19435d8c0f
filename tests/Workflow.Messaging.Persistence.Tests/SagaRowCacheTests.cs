using MassTransit;
using Microsoft.EntityFrameworkCore;
using Workflow.Messaging.Persistence.Tests.CounterSaga;
using Workflow.Messaging.Persistence.Tests.Infrastructure;

namespace Workflow.Messaging.Persistence.Tests;

/// <summary>
/// The saga row cache on PostgreSQL: a step of a row this process committed last skips the load,
/// and a cached row that is no longer the stored one never wins over it.
/// </summary>
public sealed class SagaRowCacheTests(PostgresRowCacheDatabase database) : IClassFixture<PostgresRowCacheDatabase>
{
    [Fact]
    public async Task Each_step_after_the_first_takes_the_row_committed_here_instead_of_loading_it()
    {
        await using var host = await BusHost.Start(database);
        var counterId = NewId.NextGuid();

        await host.Bus.Publish(new StartCounter(counterId, Target: 3));
        await Eventually.True(() => host.Observed.Of<CounterStarted>().Any(x => x.CounterId == counterId), "the counter starts");
        for (var value = 1; value <= 3; value++)
        {
            await host.Bus.Publish(new IncrementCounter(counterId));
            await Eventually.True(async () => await Increments(host, counterId) == value, $"increment {value} is stored");
        }

        await Eventually.True(() => host.Observed.Of<CounterReached>().Any(x => x.CounterId == counterId && x.Counter == 3), "the counter completes");
        host.RowCache.Hits.Should().Be(3, "every increment found the row its previous step committed");
        (await host.FindCounter(counterId))!.Counter.Should().Be(3);
    }

    [Fact]
    public async Task When_the_row_changed_behind_the_cache_then_the_step_runs_again_on_the_stored_row()
    {
        await using var host = await BusHost.Start(database);
        var counterId = NewId.NextGuid();
        await host.Bus.Publish(new StartCounter(counterId, Target: 10));
        await Eventually.True(() => host.Observed.Of<CounterStarted>().Any(x => x.CounterId == counterId), "the counter starts");
        await host.Bus.Publish(new IncrementCounter(counterId));
        await Eventually.True(async () => await Increments(host, counterId) == 1, "the first increment is stored");

        await host.WithDb(db => db.Counters.Where(x => x.CorrelationId == counterId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Counter, 5)));
        await host.Bus.Publish(new IncrementCounter(counterId));

        await Eventually.True(async () => (await host.FindCounter(counterId))!.Counter == 6, "the increment counts from the stored 5");
        var values = await host.WithDb(db => db.Set<CounterIncrement>().Where(x => x.CounterId == counterId).Select(x => x.Value).OrderBy(x => x).ToListAsync());
        values.Should().Equal([1, 6], "the attempt on the cached counter (which would have stored 2) rolled back whole");
    }

    [Fact]
    public async Task A_step_that_changes_nothing_on_a_stale_row_still_fails_its_version_check()
    {
        var cache = RowCache.Create();
        var counterId = NewId.NextGuid();
        await Commit(cache, db => db.Add(new CounterState { CorrelationId = counterId, CurrentState = "Counting", Target = 5 }));
        await using (var behind = database.CreateDbContext())
            await behind.Counters.Where(x => x.CorrelationId == counterId).ExecuteUpdateAsync(s => s.SetProperty(x => x.CurrentState, "Reached"));

        await using var step = CreateDbContext(cache);
        await using var stepTransaction = await step.Database.BeginTransactionAsync();
        cache.TryTake(counterId, out var row).Should().BeTrue("the insert's commit cached the row");
        cache.Attach(step, row)!.CurrentState.Should().Be("Counting", "the cached copy is stale");

        var save = async () => await step.SaveChangesAsync();

        (await save.Should().ThrowAsync<DbUpdateConcurrencyException>("a decision taken on a stale row must not commit")).Which
            .Should().Match<Exception>(e => PersistenceConflicts.IsConflict(e));
        await stepTransaction.RollbackAsync();
        cache.TryTake(counterId, out _).Should().BeFalse("a step that failed leaves no row behind");
    }

    [Fact]
    public async Task A_rolled_back_step_puts_nothing_back_and_a_committed_one_puts_back_what_it_stored()
    {
        var cache = RowCache.Create();
        var counterId = NewId.NextGuid();
        await Commit(cache, db => db.Add(new CounterState { CorrelationId = counterId, CurrentState = "Counting", Target = 5 }));

        await using (var failing = CreateDbContext(cache))
        await using (var transaction = await failing.Database.BeginTransactionAsync())
        {
            cache.TryTake(counterId, out var row).Should().BeTrue();
            cache.Attach(failing, row)!.Counter = 99;
            await failing.SaveChangesAsync();
            await transaction.RollbackAsync();
        }
        cache.TryTake(counterId, out _).Should().BeFalse("the rolled-back 99 must not be served");

        await Commit(cache, async db =>
        {
            var stored = await db.Counters.SingleAsync(x => x.CorrelationId == counterId);
            stored.Counter.Should().Be(0);
            stored.Counter = 1;
        });
        cache.TryTake(counterId, out var committed).Should().BeTrue("a commit puts its rows back");
        committed.Saga.Counter.Should().Be(1);
    }

    [Fact]
    public async Task When_most_hits_of_a_round_conflict_then_the_cache_stops_keeping_rows()
    {
        var cache = RowCache.Create(hitsPerRound: 4);
        var ids = Enumerable.Range(0, 4).Select(_ => NewId.NextGuid()).ToList();
        foreach (var id in ids)
            await Commit(cache, db => db.Add(new CounterState { CorrelationId = id, CurrentState = "Counting", Target = 5 }));
        // Another process steps every counter: each cached copy is now stale.
        await using (var behind = database.CreateDbContext())
            await behind.Counters.Where(x => ids.Contains(x.CorrelationId)).ExecuteUpdateAsync(s => s.SetProperty(x => x.Counter, 7));

        foreach (var id in ids)
        {
            await using var step = CreateDbContext(cache);
            await using var transaction = await step.Database.BeginTransactionAsync();
            cache.TryTake(id, out var row).Should().BeTrue();
            cache.Attach(step, row)!.Counter++;
            var save = async () => await step.SaveChangesAsync();
            await save.Should().ThrowAsync<DbUpdateConcurrencyException>();
        }

        cache.Conflicts.Should().Be(4);
        cache.Enabled.Should().BeFalse("every hit of the round conflicted");
        await Commit(cache, db => db.Add(new CounterState { CorrelationId = NewId.NextGuid(), CurrentState = "Counting" }));
        await Commit(cache, async db => (await db.Counters.SingleAsync(x => x.CorrelationId == ids[0])).Counter++);
        cache.TryTake(ids[0], out _).Should().BeFalse("a paused cache keeps nothing; the step loads the row");
        cache.Misses.Should().Be(1);
    }

    async Task Commit(SagaRowCache<CounterState> cache, Func<CounterDbContext, Task> change)
    {
        await using var db = CreateDbContext(cache);
        await using var transaction = await db.Database.BeginTransactionAsync();
        await change(db);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    Task Commit(SagaRowCache<CounterState> cache, Action<CounterDbContext> change) =>
        Commit(cache, db => { change(db); return Task.CompletedTask; });

    CounterDbContext CreateDbContext(SagaRowCache<CounterState> cache)
    {
        var options = new DbContextOptionsBuilder<CounterDbContext>();
        database.Configure(options);
        options.AddInterceptors(cache);
        return new CounterDbContext(options.Options, database.Schema);
    }

    static Task<int> Increments(BusHost host, Guid counterId) =>
        host.WithDb(db => db.Set<CounterIncrement>().CountAsync(x => x.CounterId == counterId));
}
