using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Executions;
using Workflow.Messaging.ServiceDefaults;

namespace Workflow.Messaging.Coordinator.Leases;

/// <summary>
/// Every <see cref="CoordinatorOptions.LeaseSweepInterval"/>, finds running or paused executions
/// whose <c>LeaseCheckAt</c> (the earliest lease of their running attempts) has come and sends each
/// a <see cref="NodeLeaseCheckDue"/> carrying that stored time; the saga then fails or renews the
/// expired attempts. This replaces a scheduled message per execution: the saga only sets the column,
/// so a start costs no scheduler message, outbox row or job-store transaction, and an execution
/// that ends (the saga clears the column) leaves nothing behind.
/// <para>
/// Every coordinator sweeps, without claiming rows. Two of them sending the same check is harmless:
/// the saga acts only on a check whose time is the one still stored, and acting clears or moves it,
/// so the second copy is ignored as stale.
/// </para>
/// </summary>
public sealed class LeaseSweeper(
    IServiceScopeFactory scopes,
    IBus bus,
    IOptions<CoordinatorOptions> options,
    TimeProvider time,
    ILogger<LeaseSweeper> logger) : BackgroundService
{
    /// <summary>Checks sent per sweep at most; more wait for the next sweep, earliest first.</summary>
    public const int BatchSize = 500;

    private static readonly TimeSpan SendLimit = TimeSpan.FromSeconds(10);

    // Checks this coordinator sent and the saga has not acted on yet (the row still holds the same
    // time): while the saga queue is backed up they are not sent again on every sweep, which would
    // pile copies onto the very backlog that delays them. A check still due after this window is
    // sent again, in case the first copy was lost.
    private readonly ConcurrentDictionary<Guid, (DateTime CheckAt, DateTime SentAt)> _sent = new();

    private TimeSpan Interval => options.Value.LeaseSweepInterval;
    private TimeSpan ResendAfter => Interval * 6;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // No "off" value: without the sweep a lost node would never be found.
        if (Interval <= TimeSpan.Zero)
            throw new InvalidOperationException($"Coordinator:LeaseSweepInterval must be positive, not {Interval}: it is how lost nodes are found at their lease.");
        // A failed sweep loses nothing: the rows stay due, and the next sweep finds them again.
        await PeriodicWork.RunAsync("The lease sweep", Interval, time, logger, SweepAsync, stoppingToken);
    }

    /// <summary>One sweep at the current time; returns the checks it sent.</summary>
    public Task<IReadOnlyList<NodeLeaseCheckDue>> SweepAsync(CancellationToken cancellationToken) =>
        SweepAsync(time.GetUtcNow().UtcDateTime, cancellationToken);

    /// <summary>One sweep as if it were <paramref name="now"/>; returns the checks it sent.</summary>
    public async Task<IReadOnlyList<NodeLeaseCheckDue>> SweepAsync(DateTime now, CancellationToken cancellationToken)
    {
        foreach (var (id, sent) in _sent)
            if (sent.SentAt <= now - ResendAfter)
                _sent.TryRemove(id, out _);

        IReadOnlyList<DueLeaseCheck> due;
        await using (var scope = scopes.CreateAsyncScope())
            due = await scope.ServiceProvider.GetRequiredService<IDueLeaseChecks>().DueAsync(now, BatchSize, cancellationToken);
        var fresh = due.Where(d => !(_sent.TryGetValue(d.ExecutionId, out var sent) && sent.CheckAt == d.CheckAt)).ToList();
        if (fresh.Count == 0)
            return [];

        var saga = await bus.GetSendEndpoint(new Uri($"queue:{WorkflowExecutionStateDefinition.QueueName}"));
        var checks = new List<NodeLeaseCheckDue>(fresh.Count);
        foreach (var check in fresh)
        {
            var message = new NodeLeaseCheckDue { ExecutionId = check.ExecutionId, CheckAt = check.CheckAt };
            // Bounded: a publisher confirm lost in a broker restart must not stop the sweep.
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bound.CancelAfter(SendLimit);
            await saga.Send(message, bound.Token).WaitAsync(bound.Token);
            _sent[check.ExecutionId] = (check.CheckAt, now);
            checks.Add(message);
        }
        logger.LogInformation("Sent {Count} lease checks (the earliest set for {CheckAt:O})", checks.Count, fresh[0].CheckAt);
        return checks;
    }
}
