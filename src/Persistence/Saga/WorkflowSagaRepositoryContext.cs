using MassTransit;
using MassTransit.Context;
using MassTransit.Logging;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace Workflow.Messaging.Persistence;

sealed class WorkflowSagaRepositoryContext<TSaga, TMessage> :
    ConsumeContextScope<TMessage>,
    SagaRepositoryContext<TSaga, TMessage>,
    IDisposable
    where TSaga : class, ISaga
    where TMessage : class
{
    readonly ConsumeContext<TMessage> _consumeContext;

    // The saga's consume context is built on this scope rather than on the inbound context, so
    // behaviours can reach the transaction's DbContext with context.GetPayload<DbContext>().
    readonly DbContext _dbContext;
    readonly ISagaConsumeContextFactory<DbContext, TSaga> _factory;
    readonly SagaRowLoader<TSaga> _loader;

    // True when an enclosing unit of work (the outbox) saves and commits after the saga ran.
    readonly bool _deferSave;

    // A state machine may run activities concurrently; one DbContext allows one operation at a time.
    readonly SemaphoreSlim _inUse = new(1);

    public WorkflowSagaRepositoryContext(DbContext dbContext, ConsumeContext<TMessage> consumeContext,
        ISagaConsumeContextFactory<DbContext, TSaga> factory, SagaRowLoader<TSaga> loader, bool deferSave)
        : base(consumeContext, dbContext)
    {
        _deferSave = deferSave;
        _dbContext = dbContext;
        _consumeContext = consumeContext;
        _factory = factory;
        _loader = loader;
    }

    public void Dispose() => _inUse.Dispose();

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        _factory.CreateSagaConsumeContext(_dbContext, this, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        // A duplicate key must not abort the surrounding PostgreSQL transaction: the insert gets a
        // savepoint of its own (automatic savepoints are off, see BeginUnitOfWorkAsync).
        var transaction = _dbContext.Database.CurrentTransaction;
        const string savepoint = "saga_insert";
        if (transaction != null)
            await transaction.CreateSavepointAsync(savepoint, CancellationToken).ConfigureAwait(false);

        var entry = await _dbContext.Set<TSaga>().AddAsync(instance, CancellationToken).ConfigureAwait(false);
        try
        {
            await _dbContext.SaveChangesAsync(CancellationToken).ConfigureAwait(false);
            _consumeContext.LogInsert<TSaga, TMessage>(instance.CorrelationId);
            return await _factory.CreateSagaConsumeContext(_dbContext, this, instance, SagaConsumeContextMode.Insert)
                .ConfigureAwait(false);
        }
        catch (DbUpdateException exception)
        {
            entry.State = EntityState.Detached;
            if (transaction != null)
                await transaction.RollbackToSavepointAsync(savepoint, CancellationToken).ConfigureAwait(false);
            _consumeContext.LogInsertFault<TSaga, TMessage>(exception, instance.CorrelationId);
            return null!;
        }
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = await _loader.Load(_dbContext, correlationId, CancellationToken).ConfigureAwait(false);
        if (instance == null)
            return null!;

        return await _factory.CreateSagaConsumeContext(_dbContext, this, instance, SagaConsumeContextMode.Load)
            .ConfigureAwait(false);
    }

    public Task Save(SagaConsumeContext<TSaga> context) =>
        Exclusive(context, () => _dbContext.Set<TSaga>().Add(context.Saga));

    public Task Update(SagaConsumeContext<TSaga> context) => Exclusive(context, () => { });

    public Task Delete(SagaConsumeContext<TSaga> context) =>
        Exclusive(context, () => _dbContext.Set<TSaga>().Remove(context.Saga));

    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public async Task Undo(SagaConsumeContext<TSaga> context)
    {
        await _inUse.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        try
        {
            var entry = _dbContext.ChangeTracker.Entries<TSaga>()
                .FirstOrDefault(x => x.Entity.CorrelationId == context.Saga.CorrelationId);
            if (entry != null)
                entry.State = EntityState.Unchanged;
        }
        finally
        {
            _inUse.Release();
        }
    }

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance,
        SagaConsumeContextMode mode)
        where T : class =>
        _factory.CreateSagaConsumeContext(_dbContext, consumeContext, instance, mode);

    async Task Exclusive(SagaConsumeContext<TSaga> context, Action change)
    {
        await _inUse.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        try
        {
            change();
            if (!_deferSave)
                await _dbContext.SaveChangesAsync(CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _inUse.Release();
        }
    }
}
