using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Workflow.Messaging.Persistence;

/// <summary>
/// Loads a saga row for update: from the <see cref="SagaRowCache{TSaga}"/> when this process
/// committed it last, otherwise from the database, locking it where the dialect and mode call for a lock.
/// </summary>
sealed class SagaRowLoader<TSaga>
    where TSaga : class, ISaga
{
    readonly DatabaseDialect _dialect;
    readonly SagaConcurrencyMode _mode;
    readonly SagaRowCache<TSaga>? _cache;

    public SagaRowLoader(DatabaseDialect dialect, SagaConcurrencyMode mode, SagaRowCache<TSaga>? cache)
    {
        _dialect = dialect;
        _mode = mode;
        _cache = cache;
    }

    public Task<TSaga?> Load(DbContext dbContext, Guid correlationId, CancellationToken cancellationToken)
    {
        if (_cache != null && _cache.TryTake(correlationId, out var cached) && _cache.Attach(dbContext, cached) is { } saga)
            return Task.FromResult<TSaga?>(saga);

        if (_mode == SagaConcurrencyMode.Pessimistic && _dialect.SupportsRowLocks)
        {
            var entityType = dbContext.Model.FindEntityType(typeof(TSaga))
                ?? throw new InvalidOperationException($"{typeof(TSaga).Name} is not mapped in {dbContext.GetType().Name}.");
            // SELECT * leaves out system columns: the row version (xmin), when mapped, is asked for by name.
            var version = entityType.FindProperty(SagaRowCache<TSaga>.VersionProperty) is null ? "" : $", {SagaRowCache<TSaga>.VersionProperty}";
            var sql = $"SELECT *{version} FROM {DatabaseDialect.Table(entityType)} WHERE "
                + $"{DatabaseDialect.Column(entityType, nameof(ISaga.CorrelationId))} = {{0}} FOR UPDATE";

            return dbContext.Set<TSaga>().FromSqlRaw(sql, correlationId).AsTracking()
                .SingleOrDefaultAsync(cancellationToken);
        }

        return dbContext.Set<TSaga>().AsTracking()
            .SingleOrDefaultAsync(x => x.CorrelationId == correlationId, cancellationToken);
    }
}
