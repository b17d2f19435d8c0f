using MassTransit;
using MassTransit.Middleware;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace Workflow.Messaging.Persistence;

/// <summary>Reads saga rows outside message consumption (repository Load and Find).</summary>
sealed class ReadOnlySagaRepositoryContext<TSaga> :
    BasePipeContext,
    QuerySagaRepositoryContext<TSaga>,
    LoadSagaRepositoryContext<TSaga>
    where TSaga : class, ISaga
{
    readonly DbContext _dbContext;

    public ReadOnlySagaRepositoryContext(DbContext dbContext, CancellationToken cancellationToken)
        : base(cancellationToken)
    {
        _dbContext = dbContext;
    }

    public async Task<TSaga> Load(Guid correlationId) =>
        (await _dbContext.Set<TSaga>().AsNoTracking()
            .SingleOrDefaultAsync(x => x.CorrelationId == correlationId, CancellationToken).ConfigureAwait(false))!;

    public async Task<SagaRepositoryQueryContext<TSaga>> Query(ISagaQuery<TSaga> query, CancellationToken cancellationToken)
    {
        List<Guid> ids = await _dbContext.Set<TSaga>().AsNoTracking()
            .Where(query.FilterExpression)
            .Select(x => x.CorrelationId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        return new DefaultSagaRepositoryQueryContext<TSaga>(this, ids);
    }
}
