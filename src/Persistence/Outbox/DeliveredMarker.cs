using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Workflow.Messaging.Persistence;

/// <summary>
/// Write-behind of the outbox's second step. Once a consume's outbox rows went out, its inbox row
/// is marked Delivered and its rows deleted; nothing waits for that any more. The mark only spares
/// a redelivery of the inbound message (or the stranded-row sweeper) from sending the rows again,
/// and the message is acknowledged after the rows were sent, so a mark that is late, or lost with
/// the process, costs at most a duplicate send, never a lost one: the same promise as a crash
/// between send and acknowledgement. Marks of every consume that finished within
/// <see cref="WorkflowOutboxOptions.DeliveredMarkLinger"/> share one transaction, so a busy endpoint
/// pays one commit for many saga steps instead of one each.
/// </summary>
public sealed class DeliveredMarker<TDbContext> : IAsyncDisposable
    where TDbContext : DbContext
{
    static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    const int Tries = 3;

    readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    readonly IServiceScopeFactory _scopes;
    readonly WorkflowOutboxOptions _options;
    readonly ILogger _logger;
    readonly Task _loop;

    public DeliveredMarker(IServiceScopeFactory scopes, IOptions<WorkflowOutboxOptions> options, ILogger<DeliveredMarker<TDbContext>>? logger = null)
    {
        _scopes = scopes;
        _options = options.Value;
        _logger = logger ?? NullLogger<DeliveredMarker<TDbContext>>.Instance;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues the mark; it is committed within the linger, together with its neighbours'.</summary>
    public void Mark(InboxState inbox) => Queue(new Pending(inbox.Id, inbox.MessageId, inbox.ConsumerId));

    /// <summary>A consume without an inbox row (<see cref="InboxlessEndpoint"/>): only its sent rows are deleted.</summary>
    public void Forget(Guid messageId, Guid consumerId) => Queue(new Pending(null, messageId, consumerId));

    void Queue(Pending pending)
    {
        if (!_pending.Writer.TryWrite(pending))
            throw new ObjectDisposedException(nameof(DeliveredMarker<TDbContext>));
    }

    async Task RunAsync()
    {
        var batch = new List<Pending>();
        while (await _pending.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // The linger is what makes batches: steps finishing meanwhile join this one.
            if (_options.DeliveredMarkLinger > TimeSpan.Zero && !_pending.Reader.Completion.IsCompleted)
                await Task.Delay(_options.DeliveredMarkLinger).ConfigureAwait(false);
            while (batch.Count < _options.QueryMessageLimit && _pending.Reader.TryRead(out var next))
                batch.Add(next);
            await CommitWithRetriesAsync(batch).ConfigureAwait(false);
            batch.Clear();
        }
    }

    async Task CommitWithRetriesAsync(List<Pending> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await CommitAsync(batch).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (attempt < Tries)
            {
                _logger.LogWarning(exception, "Marking {Count} inbox rows delivered failed (try {Try}); trying again", batch.Count, attempt);
                await Task.Delay(RetryDelay).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // Their rows were sent; the stranded-row sweeper sends them once more and marks them.
                _logger.LogWarning(exception, "Gave up marking {Count} inbox rows delivered; the sweeper will", batch.Count);
                return;
            }
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
    /// Inside the caller's transaction: deletes the sent outbox rows of these consumes and marks
    /// their inbox rows (where they have one) Delivered. Outbox rows are keyed by (message, consumer): one delete per consumer (an
    /// endpoint usually has one), so another consumer's rows of the same message stay.
    /// </summary>
    internal static async Task MarkAsync(DbContext dbContext, IReadOnlyList<(long? InboxId, Guid MessageId, Guid ConsumerId)> inboxes,
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
        var ids = inboxes.Where(x => x.InboxId != null).Select(x => x.InboxId!.Value).ToList();
        if (ids.Count == 0)
            return;
        await dbContext.Set<InboxState>()
            .Where(x => ids.Contains(x.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Delivered, delivered), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Commits what is queued before the process goes.</summary>
    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    /// <summary>InboxId null: a consume without an inbox row.</summary>
    sealed record Pending(long? InboxId, Guid MessageId, Guid ConsumerId);
}
