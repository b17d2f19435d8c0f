using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Workflow.Messaging.Persistence;

/// <summary>Loads a saga row for update, locking it where the dialect and mode call for a lock.</summary>
sealed class SagaRowLoader<TSaga>
    where TSaga : class, ISaga
{
    readonly DatabaseDialect _dialect;
    readonly SagaConcurrencyMode _mode;

    public SagaRowLoader(DatabaseDialect dialect, SagaConcurrencyMode mode)
    {
        _dialect = dialect;
        _mode = mode;
    }

    public Task<TSaga?> Load(DbContext dbContext, Guid correlationId, CancellationToken cancellationToken)
    {
        if (_mode == SagaConcurrencyMode.Pessimistic && _dialect.SupportsRowLocks)
        {
            var entityType = dbContext.Model.FindEntityType(typeof(TSaga))
                ?? throw new InvalidOperationException($"{typeof(TSaga).Name} is not mapped in {dbContext.GetType().Name}.");
            var sql = $"SELECT * FROM {DatabaseDialect.Table(entityType)} WHERE "
                + $"{DatabaseDialect.Column(entityType, nameof(ISaga.CorrelationId))} = {{0}} FOR UPDATE";

            return dbContext.Set<TSaga>().FromSqlRaw(sql, correlationId).AsTracking()
                .SingleOrDefaultAsync(cancellationToken);
        }

        return dbContext.Set<TSaga>().AsTracking()
            .SingleOrDefaultAsync(x => x.CorrelationId == correlationId, cancellationToken);
    }
}
