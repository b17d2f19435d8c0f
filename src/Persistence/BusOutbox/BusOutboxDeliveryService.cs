using System.Runtime.ExceptionServices;
using MassTransit;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Workflow.Messaging.Persistence;

/// <summary>
/// Sends committed bus outbox rows, oldest unit first. Each OutboxState is delivered in its own
/// transaction that locks it with SKIP LOCKED (PostgreSQL), so several instances share the work.
/// After a failed send the service backs off exponentially instead of retrying the same row in a
/// loop; rows sent before the failure are deleted, the rest stay for the next attempt.
/// Delivery begins once the host has started, so the bus has bound its receive endpoints: a row
/// published to an exchange with no queue bound yet would be dropped by the broker.
/// </summary>
public sealed class BusOutboxDeliveryService<TDbContext> : BackgroundService
    where TDbContext : DbContext
{
    readonly IBus _bus;
    readonly IOutboxFaultInjection _faults;
    readonly ILogger<BusOutboxDeliveryService<TDbContext>> _logger;
    readonly IBusOutboxNotification _notification;
    readonly WorkflowOutboxOptions _options;
    readonly IServiceScopeFactory _scopeFactory;
    readonly IHostApplicationLifetime? _lifetime;

    public BusOutboxDeliveryService(IBus bus, IServiceScopeFactory scopeFactory, IBusOutboxNotification notification,
        IOutboxFaultInjection faults, IOptions<WorkflowOutboxOptions> options, ILogger<BusOutboxDeliveryService<TDbContext>> logger,
        IHostApplicationLifetime? lifetime = null)
    {
        _lifetime = lifetime;
        _bus = bus;
        _scopeFactory = scopeFactory;
        _notification = notification;
        _faults = faults;
        _options = options.Value;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await HostStarted(stoppingToken).ConfigureAwait(false))
            return;

        var consecutiveFailures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var delivered = await DeliverPending(stoppingToken).ConfigureAwait(false);
                consecutiveFailures = 0;
                if (delivered == 0)
                    await _notification.WaitForDelivery(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                consecutiveFailures++;
                var delay = DeliveryBackoff.After(consecutiveFailures, _options);
                _logger.LogWarning(exception, "Bus outbox delivery failed ({Failures} in a row); next attempt in {Delay}",
                    consecutiveFailures, delay);
                try
                {
                    await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    async Task<bool> HostStarted(CancellationToken stoppingToken)
    {
        // No lifetime: started outside a generic host (MassTransit's test harness starts hosted
        // services itself, after the bus), so there is nothing to wait for.
        if (_lifetime == null)
            return true;

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = _lifetime.ApplicationStarted.Register(() => started.TrySetResult()).ConfigureAwait(false);
        try
        {
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Delivers up to QueryMessageLimit outbox units; returns how many messages were sent.</summary>
    public async Task<int> DeliverPending(CancellationToken cancellationToken)
    {
        var sent = 0;
        for (var unit = 0; unit < _options.QueryMessageLimit; unit++)
        {
            var count = await DeliverOldestUnit(cancellationToken).ConfigureAwait(false);
            if (count < 0)
                break;
            sent += count;
        }

        return sent;
    }

    async Task<int> DeliverOldestUnit(CancellationToken cancellationToken)
    {
        await using var scope = _scopeFactory.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var dialect = DatabaseDialect.For(dbContext, _options.Dialect);

        ExceptionDispatchInfo? failure = null;
        int count;
        await using var transaction = await dbContext.Database.BeginUnitOfWorkAsync(dialect.IsolationLevel, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            var state = await LockOldest(dbContext, dialect, cancellationToken).ConfigureAwait(false);
            if (state == null)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return -1;
            }

            List<OutboxMessage> messages = await dbContext.Set<OutboxMessage>().AsNoTracking()
                .Where(x => x.OutboxId == state.OutboxId)
                .OrderBy(x => x.SequenceNumber)
                .ToListAsync(cancellationToken).ConfigureAwait(false);

            await _faults.BeforeBusOutboxSend(state.OutboxId).ConfigureAwait(false);

            long? lastSent = null;
            foreach (var message in messages)
            {
                try
                {
                    await OutboxMessageEnvelope.Send(_bus, message, _options.SendTimeout, cancellationToken).ConfigureAwait(false);
                    lastSent = message.SequenceNumber;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    failure = ExceptionDispatchInfo.Capture(exception);
                    break;
                }
            }

            if (lastSent != null)
            {
                await dbContext.Set<OutboxMessage>()
                    .Where(x => x.OutboxId == state.OutboxId && x.SequenceNumber <= lastSent)
                    .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            }

            if (failure == null)
                dbContext.Remove(state);
            else
                state.LastSequenceNumber = lastSent ?? state.LastSequenceNumber;

            await dbContext.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

            count = messages.Count;
        }
        catch
        {
            await transaction.RollbackQuietly().ConfigureAwait(false);
            throw;
        }

        // Thrown only now: the rows sent before the failure are already deleted and committed.
        failure?.Throw();
        return count;
    }

    static async Task<OutboxState?> LockOldest(DbContext dbContext, DatabaseDialect dialect, CancellationToken cancellationToken)
    {
        if (!dialect.SupportsRowLocks)
            return await dbContext.Set<OutboxState>().AsTracking().OrderBy(x => x.Created).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);

        var entityType = dbContext.Model.FindEntityType(typeof(OutboxState))!;
        var sql = $"SELECT * FROM {DatabaseDialect.Table(entityType)} "
            + $"ORDER BY {DatabaseDialect.Column(entityType, nameof(OutboxState.Created))} LIMIT 1 FOR UPDATE SKIP LOCKED";

        // The order and the LIMIT are in the SQL, which EF cannot see: FirstOrDefault would warn at every start.
        var rows = await dbContext.Set<OutboxState>().FromSqlRaw(sql).AsTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.FirstOrDefault();
    }
}
