using System.Data.Common;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Caching.Memory;

namespace Workflow.Messaging.Persistence;

/// <summary>
/// The committed rows of the sagas this process stepped last, so that the next step of the same
/// instance starts without the SELECT ... FOR UPDATE round trip (PostgreSQL only). Safe without the
/// row lock because a row taken from here is written back with its xmin as concurrency token:
/// <list type="bullet">
/// <item>A row changed since it was cached (by another coordinator, or a direct UPDATE) makes the
/// step's UPDATE match nothing; EF Core throws DbUpdateConcurrencyException, the transaction rolls
/// back with everything the step wrote and sent, and the endpoint's retry runs the message again
/// on a row loaded (and locked) from the database.</item>
/// <item>A row is <em>taken</em>, not read: while a step works on it nobody else can, and a step
/// that fails leaves nothing behind. Only a commit (<see cref="TransactionCommittedAsync"/>) puts
/// the row back, as that commit left it.</item>
/// <item>A step that changes nothing still writes one column back (<see cref="SagaRowCacheOptions{TSaga}.TouchProperty"/>),
/// so its decision (say, to ignore a result as stale) is checked against the stored row too.</item>
/// </list>
/// Several processes consuming one queue without sharding take turns on each saga, so a cached row
/// is often stale and its step runs twice. The cache watches for that: when more than
/// <see cref="SagaRowCacheOptions{TSaga}.MaxConflictShare"/> of a round of hits ended in a conflict
/// it keeps nothing for <see cref="SagaRowCacheOptions{TSaga}.PauseAfterConflicts"/>, then tries again
/// (and pauses twice as long if that round fails too).
/// </summary>
public sealed class SagaRowCache<TSaga> : DbTransactionInterceptor, ISaveChangesInterceptor, IDisposable
    where TSaga : class, ISaga
{
    readonly MemoryCache _rows;
    readonly SagaRowCacheOptions<TSaga> _options;
    readonly TimeProvider _time;
    long _hits;
    long _misses;
    long _conflicts;
    long _roundHits;
    long _roundConflicts;
    long _pausedUntilTicks;
    long _pausesInARow;

    public SagaRowCache(SagaRowCacheOptions<TSaga> options, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _rows = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.MaxBytes), CompactionPercentage = 0.25 });
    }

    /// <summary>Off when given no memory, or paused after conflicts: nothing is kept, every step loads its row.</summary>
    public bool Enabled => _options.MaxBytes > 0 && _time.GetUtcNow().UtcTicks >= Interlocked.Read(ref _pausedUntilTicks);

    /// <summary>Steps on a cached row whose version check failed.</summary>
    public long Conflicts => Interlocked.Read(ref _conflicts);

    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Removes the row and returns it, for a step to attach with <see cref="Attach"/>.</summary>
    public bool TryTake(Guid correlationId, out Entry row)
    {
        // Two takers of one row (a scope that steps a saga twice at once) must not share the instance: one wins the holder.
        if (Enabled && _rows.TryGetValue(correlationId, out var value) && value is Holder holder && holder.Take() is { } entry)
        {
            _rows.Remove(correlationId);
            Interlocked.Increment(ref _hits);
            if (Interlocked.Increment(ref _roundHits) >= _options.HitsPerRound)
                EndRound();
            row = entry;
            return true;
        }
        Interlocked.Increment(ref _misses);
        row = default;
        return false;
    }

    /// <summary>
    /// Tracks the row as loaded with its version, and marks the touch column written so the
    /// version is checked however the step ends.
    /// </summary>
    public TSaga? Attach(DbContext dbContext, Entry row)
    {
        // The scope tracks this saga already (a query loaded it): that instance is the one to use.
        if (dbContext.Set<TSaga>().Local.FindEntry(row.Saga.CorrelationId) != null)
            return null;
        var entry = dbContext.Attach(row.Saga);
        var version = entry.Property<uint>(SagaMapExtensions.XminProperty);
        version.CurrentValue = row.Version;
        version.OriginalValue = row.Version;
        version.IsModified = false;
        entry.Property(_options.TouchProperty).IsModified = true;
        return row.Saga;
    }

    // A round's conflicts against its hits: too many, and the cache costs more than it saves here.
    void EndRound()
    {
        var hits = Interlocked.Exchange(ref _roundHits, 0);
        var conflicts = Interlocked.Exchange(ref _roundConflicts, 0);
        if (hits == 0 || (double)conflicts / hits <= _options.MaxConflictShare)
        {
            Interlocked.Exchange(ref _pausesInARow, 0);
            return;
        }
        // Each failed try doubles the pause (up to 32 times), so where the cache cannot pay, trying costs next to nothing.
        var pauses = Math.Min(Interlocked.Increment(ref _pausesInARow), 6);
        var pause = _options.PauseAfterConflicts * (1 << (int)(pauses - 1));
        Interlocked.Exchange(ref _pausedUntilTicks, (_time.GetUtcNow() + pause).UtcTicks);
        _rows.Compact(1.0);
    }

    // A version check that failed: EF Core reports it here just before it throws, and the step's transaction rolls back.
    InterceptionResult ISaveChangesInterceptor.ThrowingConcurrencyException(ConcurrencyExceptionEventData eventData, InterceptionResult result)
    {
        CountConflict(eventData.Entries);
        return result;
    }

    ValueTask<InterceptionResult> ISaveChangesInterceptor.ThrowingConcurrencyExceptionAsync(ConcurrencyExceptionEventData eventData,
        InterceptionResult result, CancellationToken cancellationToken)
    {
        CountConflict(eventData.Entries);
        return ValueTask.FromResult(result);
    }

    void CountConflict(IReadOnlyList<EntityEntry> entries)
    {
        if (!entries.Any(e => e.Entity is TSaga))
            return;
        Interlocked.Increment(ref _conflicts);
        Interlocked.Increment(ref _roundConflicts);
    }

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Keep(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Keep(eventData.Context);

    // Every saga row the transaction saved (or read and left unchanged) is now what the database
    // holds, version included. A row with unsaved changes is not: it is dropped.
    void Keep(DbContext? dbContext)
    {
        if (dbContext is null || !Enabled)
            return;
        // A saga whose changes were undone (state set back to Unchanged, values still changed) shows as modified again here.
        dbContext.ChangeTracker.DetectChanges();
        foreach (var entry in dbContext.ChangeTracker.Entries<TSaga>())
        {
            var id = entry.Entity.CorrelationId;
            if (entry.State != EntityState.Unchanged || !_options.Keep(entry.Entity) || VersionOf(entry) is not { } version)
            {
                _rows.Remove(id);
                continue;
            }
            var copy = _options.Copy(entry.Entity);
            _rows.Set(id, new Holder(new Entry(copy, version)), new MemoryCacheEntryOptions
            {
                Size = Math.Max(1, _options.SizeOf(copy)),
                SlidingExpiration = _options.SlidingExpiration,
            });
        }
    }

    static uint? VersionOf(EntityEntry<TSaga> entry) =>
        entry.Metadata.FindProperty(SagaMapExtensions.XminProperty) is null ? null : entry.Property<uint>(SagaMapExtensions.XminProperty).CurrentValue;

    public void Dispose() => _rows.Dispose();

    /// <summary>A committed row: a private copy of the saga and the version it was committed with.</summary>
    public readonly record struct Entry(TSaga Saga, uint Version);

    sealed class Holder(Entry entry)
    {
        int _taken;

        public Entry? Take() => Interlocked.Exchange(ref _taken, 1) == 0 ? entry : null;
    }
}

public sealed class SagaRowCacheOptions<TSaga>
    where TSaga : class, ISaga
{
    /// <summary>Bound on the cached rows, in the units of <see cref="SizeOf"/> (bytes).</summary>
    public required long MaxBytes { get; init; }

    /// <summary>A copy sharing nothing mutable with the tracked instance, which its scope may still touch.</summary>
    public required Func<TSaga, TSaga> Copy { get; init; }

    /// <summary>Roughly how much memory a row holds.</summary>
    public required Func<TSaga, long> SizeOf { get; init; }

    /// <summary>Written back by every step on a cached row, so the version is always checked; a cheap column.</summary>
    public required string TouchProperty { get; init; }

    /// <summary>Whether a row is worth keeping (a finished saga is rarely stepped again).</summary>
    public Func<TSaga, bool> Keep { get; init; } = _ => true;

    /// <summary>Hits over which conflicts are counted before the cache decides whether it pays.</summary>
    public int HitsPerRound { get; init; } = 64;

    /// <summary>Share of a round's hits that may end in a conflict before the cache pauses.</summary>
    public double MaxConflictShare { get; init; } = 0.1;

    /// <summary>How long the cache keeps nothing once conflicts said it does not pay; doubled for each such round in a row.</summary>
    public TimeSpan PauseAfterConflicts { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>A row nobody stepped for this long goes.</summary>
    public TimeSpan SlidingExpiration { get; init; } = TimeSpan.FromMinutes(10);
}
