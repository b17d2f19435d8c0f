using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Workflow.Messaging.Persistence;

/// <summary>
/// Scoped: resolves the consume scope's DbContext. When the endpoint's outbox already opened a
/// transaction on that DbContext the saga joins it, so saga row, inbox row and outbox rows commit
/// together; otherwise the saga runs in a transaction of its own.
/// </summary>
public sealed class WorkflowSagaRepositoryContextFactory<TSaga> :
    ISagaRepositoryContextFactory<TSaga>,
    IQuerySagaRepositoryContextFactory<TSaga>,
    ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
{
    readonly ISagaConsumeContextFactory<DbContext, TSaga> _consumeContextFactory;
    readonly WorkflowSagaRepositoryOptions<TSaga> _options;
    readonly IServiceProvider _provider;
    readonly SagaRowCache<TSaga>? _rowCache;

    public WorkflowSagaRepositoryContextFactory(IServiceProvider provider, WorkflowSagaRepositoryOptions<TSaga> options,
        ISagaConsumeContextFactory<DbContext, TSaga> consumeContextFactory)
    {
        _provider = provider;
        // Registered by the host when it wants the rows cached; it must also be the DbContext's interceptor.
        _rowCache = provider.GetService<SagaRowCache<TSaga>>();
        _options = options;
        _consumeContextFactory = consumeContextFactory;
    }

    public Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class
    {
        var dbContext = _options.ResolveDbContext(_provider);
        var loader = CreateLoader(dbContext);

        // Inside the outbox's transaction the outbox saves once before its commit, so the saga's
        // update joins that batch instead of costing a round trip of its own.
        var deferSave = dbContext.Database.CurrentTransaction != null;
        return WithinTransaction(dbContext, context.CancellationToken, async () =>
        {
            using var repositoryContext = new WorkflowSagaRepositoryContext<TSaga, T>(dbContext, context, _consumeContextFactory, loader, deferSave);
            await next.Send(repositoryContext).ConfigureAwait(false);
        });
    }

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        var dbContext = _options.ResolveDbContext(_provider);
        var loader = CreateLoader(dbContext);

        return WithinTransaction(dbContext, context.CancellationToken, async () =>
        {
            // Find the ids without locks, then lock row by row in key order so two queries that
            // match overlapping sets cannot deadlock each other.
            List<Guid> ids = await dbContext.Set<TSaga>().AsNoTracking()
                .Where(query.FilterExpression)
                .Select(x => x.CorrelationId)
                .ToListAsync(context.CancellationToken).ConfigureAwait(false);

            var instances = new List<TSaga>(ids.Count);
            foreach (var id in ids.Order())
            {
                var instance = await loader.Load(dbContext, id, context.CancellationToken).ConfigureAwait(false);
                if (instance != null)
                    instances.Add(instance);
            }

            using var repositoryContext = new WorkflowSagaRepositoryContext<TSaga, T>(dbContext, context, _consumeContextFactory, loader, deferSave: false);
            await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, instances)).ConfigureAwait(false);
        });
    }

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new ReadOnlySagaRepositoryContext<TSaga>(_options.ResolveDbContext(_provider), cancellationToken));

    public Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new ReadOnlySagaRepositoryContext<TSaga>(_options.ResolveDbContext(_provider), cancellationToken));

    public void Probe(ProbeContext context)
    {
        context.Add("persistence", "workflow-entity-framework");
        context.Add("concurrencyMode", _options.ConcurrencyMode.ToString());
    }

    SagaRowLoader<TSaga> CreateLoader(DbContext dbContext) =>
        new(dbContext, DatabaseDialect.For(dbContext, _options.Dialect), _options.ConcurrencyMode, _rowCache);

    async Task WithinTransaction(DbContext dbContext, CancellationToken cancellationToken, Func<Task> callback)
    {
        if (dbContext.Database.CurrentTransaction != null)
        {
            await callback().ConfigureAwait(false);
            return;
        }

        var dialect = DatabaseDialect.For(dbContext, _options.Dialect);
        await using var transaction = await dbContext.Database.BeginUnitOfWorkAsync(dialect.IsolationLevel, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            await callback().ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await transaction.RollbackQuietly().ConfigureAwait(false);
            throw;
        }
    }
}
