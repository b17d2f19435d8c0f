using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

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
    readonly IEntityType _entityType;
    readonly bool _versioned;
    readonly SagaRowCache<TSaga>? _cache;

    public SagaRowLoader(DbContext dbContext, DatabaseDialect dialect, SagaConcurrencyMode mode, SagaRowCache<TSaga>? cache)
    {
        _dialect = dialect;
        _mode = mode;
        _entityType = dbContext.Model.FindEntityType(typeof(TSaga))
            ?? throw new InvalidOperationException($"{typeof(TSaga).Name} is not mapped in {dbContext.GetType().Name}.");
        _versioned = _entityType.FindProperty(SagaMapExtensions.XminProperty) != null;
        // The cache only serves rows whose write can check a version (PostgreSQL's xmin).
        _cache = _versioned ? cache : null;
    }

    public Task<TSaga?> Load(DbContext dbContext, Guid correlationId, CancellationToken cancellationToken)
    {
        if (_cache != null && _cache.TryTake(correlationId, out var cached) && _cache.Attach(dbContext, cached) is { } saga)
            return Task.FromResult<TSaga?>(saga);

        if (_mode == SagaConcurrencyMode.Pessimistic && _dialect.SupportsRowLocks)
        {
            // SELECT * leaves out system columns: the row version (xmin), when mapped, is asked for by name.
            var version = _versioned ? $", {SagaMapExtensions.XminProperty}" : "";
            var sql = $"SELECT *{version} FROM {DatabaseDialect.Table(_entityType)} WHERE "
                + $"{DatabaseDialect.Column(_entityType, nameof(ISaga.CorrelationId))} = {{0}} FOR UPDATE";

            return dbContext.Set<TSaga>().FromSqlRaw(sql, correlationId).AsTracking()
                .SingleOrDefaultAsync(cancellationToken);
        }

        return dbContext.Set<TSaga>().AsTracking()
            .SingleOrDefaultAsync(x => x.CorrelationId == correlationId, cancellationToken);
    }
}
