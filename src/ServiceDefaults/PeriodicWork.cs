using Microsoft.Extensions.Logging;

namespace Workflow.Messaging.ServiceDefaults;

/// <summary>
/// The loop of every periodic background job of the hosts (sweeps, watchdogs, readings): one pass
/// per interval; a pass that fails is logged and the next tick tries again. It never ends the loop:
/// a faulted BackgroundService stops the whole host.
/// </summary>
public static class PeriodicWork
{
    /// <param name="what">Names the job in the warning, e.g. "The lease sweep".</param>
    /// <param name="passFirst">Run one pass at once rather than after the first interval.</param>
    public static async Task RunAsync(string what, TimeSpan interval, TimeProvider time, ILogger log,
        Func<CancellationToken, Task> pass, CancellationToken stoppingToken, bool passFirst = false)
    {
        using var timer = new PeriodicTimer(interval, time);
        if (passFirst)
            await PassAsync(what, interval, log, pass, stoppingToken);
        while (await timer.WaitForNextTickAsync(stoppingToken))
            await PassAsync(what, interval, log, pass, stoppingToken);
    }

    private static async Task PassAsync(string what, TimeSpan interval, ILogger log, Func<CancellationToken, Task> pass, CancellationToken stoppingToken)
    {
        try
        {
            await pass(stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            log.LogWarning(exception, "{What} failed; trying again in {Interval}", what, interval);
        }
    }
}
