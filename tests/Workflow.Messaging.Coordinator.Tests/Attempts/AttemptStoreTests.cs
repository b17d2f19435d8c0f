using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Workflow.Messaging.Coordinator.Attempts;
using Workflow.Messaging.Coordinator.Persistence;
using Workflow.Messaging.Coordinator.Tests.Persistence;

namespace Workflow.Messaging.Coordinator.Tests.Attempts;

/// <summary>
/// The attempt store's promises, on each store: writes are idempotent and monotonic (so the
/// tracker needs no inbox), and two coordinators never claim the same silent attempt.
/// </summary>
public abstract class AttemptStoreTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>, IAsyncLifetime
    where TDatabase : CoordinatorDatabase
{
    // Whole microseconds: PostgreSQL keeps no finer time.
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private ServiceProvider _provider = null!;

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCoordinatorPersistence(database.Options);
        services.TryAddSingleton<IAttemptStore, InMemoryAttemptStore>();
        _provider = services.BuildServiceProvider(true);
        await _provider.InitializeCoordinatorSchemaAsync(database.Options);
    }

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    [Fact]
    public async Task Signals_replayed_out_of_order_never_move_last_seen_back_and_an_ended_attempt_stays_ended()
    {
        var attempt = new AttemptKey(Guid.NewGuid(), "n", 3, 1);

        // Two signals of one attempt in one batch (PostgreSQL refuses to upsert a row twice in a statement).
        await Store(s => s.RecordAsync([Signal(attempt, T0.AddSeconds(10), started: T0), Signal(attempt, T0.AddSeconds(8))], default));
        await Store(s => s.RecordAsync([Signal(attempt, T0.AddSeconds(5))], default));
        (await Store(s => s.HeardFromSinceAsync(attempt.ExecutionId, T0.AddSeconds(10), default))).Should().Equal(attempt);

        await Store(s => s.EndAsync(attempt, T0.AddSeconds(11), default));
        // The NodeStarted the tracker consumes after the saga recorded the result.
        await Store(s => s.RecordAsync([Signal(attempt, T0.AddSeconds(12), started: T0)], default));

        (await Store(s => s.HeardFromSinceAsync(attempt.ExecutionId, T0, default))).Should().BeEmpty("an ended attempt is not watched again");
        (await Store(s => s.ClaimSilentAsync(T0.AddHours(1), T0.AddHours(1), 100, default)))
            .Should().NotContain(c => c.Attempt == attempt, "an ended attempt is never silent");
    }

    [Fact]
    public async Task Two_coordinators_claiming_at_once_never_claim_the_same_silent_attempt()
    {
        var execution = Guid.NewGuid();
        var attempts = Enumerable.Range(0, 50).Select(i => new AttemptKey(execution, "each", i, 1)).ToList();
        await Store(s => s.RecordAsync(attempts.Select(a => Signal(a, T0)).ToList(), default));
        var silentSince = T0.AddSeconds(1);

        var claims = await Task.WhenAll(
            Store(s => s.ClaimSilentAsync(silentSince, silentSince, 30, default)),
            Store(s => s.ClaimSilentAsync(silentSince, silentSince, 30, default)));

        var mine = claims.Select(c => c.Where(x => x.Attempt.ExecutionId == execution).Select(x => x.Attempt).ToList()).ToList();
        mine[0].Intersect(mine[1]).Should().BeEmpty("each silent row is claimed once");
        mine[0].Concat(mine[1]).Should().BeEquivalentTo(attempts, "together they claimed every silent row");
        (await Store(s => s.ClaimSilentAsync(silentSince, silentSince, 100, default)))
            .Should().NotContain(c => c.Attempt.ExecutionId == execution, "a claimed row waits one silent period before it is claimed again");
        (await Store(s => s.ClaimSilentAsync(silentSince.AddSeconds(1), silentSince.AddSeconds(1), 100, default)))
            .Where(c => c.Attempt.ExecutionId == execution).Should().HaveCount(50, "still silent a period later, so reported again");
    }

    [Fact]
    public async Task Only_tombstones_older_than_the_cut_off_are_deleted()
    {
        var old = new AttemptKey(Guid.NewGuid(), "n", null, 1);
        var recent = old with { Attempt = 2 };
        await Store(s => s.EndAsync(old, T0, default));
        await Store(s => s.EndAsync(recent, T0.AddMinutes(1), default));

        await Store(s => s.DeleteEndedAsync(T0.AddSeconds(30), default));
        // A start recorded now for each: only the deleted one comes back as watched.
        await Store(s => s.RecordAsync([Signal(old, T0.AddMinutes(2)), Signal(recent, T0.AddMinutes(2))], default));

        (await Store(s => s.HeardFromSinceAsync(old.ExecutionId, T0, default))).Should().Equal(old);
    }

    private static AttemptSignal Signal(AttemptKey attempt, DateTime seenAt, DateTime? started = null) => new(attempt, "w1", started, seenAt);

    // One scope per call, as each coordinator, consumer or saga step has its own.
    private async Task<T> Store<T>(Func<IAttemptStore, Task<T>> call)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<IAttemptStore>());
    }

    private Task Store(Func<IAttemptStore, Task> call) => Store(async s => { await call(s); return true; });
}

public sealed class MemoryAttemptStoreTests(MemoryCoordinatorDatabase database) : AttemptStoreTests<MemoryCoordinatorDatabase>(database);

public sealed class SqliteAttemptStoreTests(SqliteCoordinatorDatabase database) : AttemptStoreTests<SqliteCoordinatorDatabase>(database);

public sealed class PostgresAttemptStoreTests(PostgresCoordinatorDatabase database) : AttemptStoreTests<PostgresCoordinatorDatabase>(database);
