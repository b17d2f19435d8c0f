using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Workflow.Messaging.Persistence;

/// <summary>
/// Group commit of the outbox's second transaction. After a consume's outbox rows went out, its
/// inbox row must be marked Delivered and its rows deleted before the inbound message is
/// acknowledged. Done per consume, that is a transaction per saga step; here every consume that
/// finished sending while the previous batch was committing joins the next batch, so a busy
/// endpoint pays one transaction for many steps and an idle one pays no extra wait.
/// Each caller still waits for the commit that covers it: the guarantee is unchanged.
/// </summary>
public sealed class DeliveredMarker<TDbContext> : IAsyncDisposable
    where TDbContext : DbContext
{
    readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    readonly IServiceScopeFactory _scopes;
    readonly WorkflowOutboxOptions _options;
    readonly Task _loop;

    public DeliveredMarker(IServiceScopeFactory scopes, IOptions<WorkflowOutboxOptions> options)
    {
        _scopes = scopes;
        _options = options.Value;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Completes once a committed transaction marked the row delivered and deleted its outbox rows.</summary>
    public Task MarkAsync(InboxState inbox, CancellationToken cancellationToken)
    {
        var pending = new Pending(inbox.Id, inbox.MessageId, inbox.ConsumerId);
        if (!_pending.Writer.TryWrite(pending))
            throw new ObjectDisposedException(nameof(DeliveredMarker<TDbContext>));
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    async Task RunAsync()
    {
        var batch = new List<Pending>();
        while (await _pending.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _options.QueryMessageLimit && _pending.Reader.TryRead(out var next))
                batch.Add(next);
            try
            {
                await CommitAsync(batch).ConfigureAwait(false);
                foreach (var item in batch)
                    item.Done.TrySetResult();
            }
            catch (Exception exception)
            {
                // Each caller fails its consume; the broker redelivers and the retry delivers again.
                foreach (var item in batch)
                    item.Done.TrySetException(exception);
            }
            batch.Clear();
        }
    }

    async Task CommitAsync(List<Pending> batch)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var dialect = DatabaseDialect.For(dbContext, _options.Dialect);
        var delivered = DateTime.UtcNow;

        await using var transaction = await dbContext.Database.BeginUnitOfWorkAsync(dialect.IsolationLevel, CancellationToken.None)
            .ConfigureAwait(false);
        try
        {
            await MarkAsync(dbContext, batch.Select(x => (x.InboxId, x.MessageId, x.ConsumerId)).ToList(), delivered, CancellationToken.None)
                .ConfigureAwait(false);
            await transaction.CommitAsync().ConfigureAwait(false);
        }
        catch
        {
            await transaction.RollbackQuietly().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Inside the caller's transaction: deletes the sent outbox rows of these inbox rows and marks
    /// them Delivered. Outbox rows are keyed by (message, consumer): one delete per consumer (an
    /// endpoint usually has one), so another consumer's rows of the same message stay.
    /// </summary>
    internal static async Task MarkAsync(DbContext dbContext, IReadOnlyList<(long InboxId, Guid MessageId, Guid ConsumerId)> inboxes,
        DateTime delivered, CancellationToken cancellationToken)
    {
        foreach (var consumer in inboxes.GroupBy(x => x.ConsumerId))
        {
            var consumerId = consumer.Key;
            var messageIds = consumer.Select(x => (Guid?)x.MessageId).ToList();
            await dbContext.Set<OutboxMessage>()
                .Where(x => x.InboxConsumerId == consumerId && messageIds.Contains(x.InboxMessageId))
                .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }
        var ids = inboxes.Select(x => x.InboxId).ToList();
        await dbContext.Set<InboxState>()
            .Where(x => ids.Contains(x.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Delivered, delivered), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    sealed record Pending(long InboxId, Guid MessageId, Guid ConsumerId)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
