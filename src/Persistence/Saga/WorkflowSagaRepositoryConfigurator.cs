using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Workflow.Messaging.Persistence;

public sealed class WorkflowSagaRepositoryConfigurator<TSaga>
    where TSaga : class, ISaga
{
    Func<IServiceProvider, DbContext>? _resolveDbContext;
    DatabaseDialect? _dialect;

    public SagaConcurrencyMode ConcurrencyMode { get; set; } = SagaConcurrencyMode.Pessimistic;

    /// <summary>
    /// Use the scoped TDbContext already registered with AddDbContext. It must be the same type the
    /// endpoint's outbox uses, or the saga's writes would commit outside the outbox transaction.
    /// </summary>
    public void ExistingDbContext<TDbContext>()
        where TDbContext : DbContext
    {
        _resolveDbContext = provider => provider.GetRequiredService<TDbContext>();
    }

    public void UsePostgres() => _dialect = DatabaseDialect.Postgres;

    public void UseSqlite() => _dialect = DatabaseDialect.Sqlite;

    public void UseOptimisticConcurrency() => ConcurrencyMode = SagaConcurrencyMode.Optimistic;

    internal WorkflowSagaRepositoryOptions<TSaga> Build() => new()
    {
        ResolveDbContext = _resolveDbContext
            ?? throw new InvalidOperationException($"Call ExistingDbContext<TDbContext>() for the {typeof(TSaga).Name} repository."),
        Dialect = _dialect,
        ConcurrencyMode = ConcurrencyMode,
    };
}
