using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Workflow.Messaging.Persistence;

/// <summary>Runs <see cref="InboxMaintenance{TDbContext}"/> every MaintenanceInterval.</summary>
public sealed class InboxMaintenanceService<TDbContext> : BackgroundService
    where TDbContext : DbContext
{
    readonly ILogger<InboxMaintenanceService<TDbContext>> _logger;
    readonly InboxMaintenance<TDbContext> _maintenance;
    readonly WorkflowOutboxOptions _options;

    public InboxMaintenanceService(InboxMaintenance<TDbContext> maintenance, IOptions<WorkflowOutboxOptions> options,
        ILogger<InboxMaintenanceService<TDbContext>> logger)
    {
        _maintenance = maintenance;
        _options = options.Value;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.MaintenanceInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var stranded = await _maintenance.DeliverStranded(stoppingToken).ConfigureAwait(false);
                    var removed = await _maintenance.Cleanup(stoppingToken).ConfigureAwait(false);
                    if (stranded > 0 || removed > 0)
                        _logger.LogInformation("Inbox maintenance: {Stranded} stranded deliveries, {Removed} inbox rows removed", stranded, removed);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The next tick is the retry; the interval already rules out a hot loop.
                    _logger.LogWarning(exception, "Inbox maintenance failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
