using Microsoft.Extensions.Hosting;

namespace Workflow.Messaging.ServiceDefaults;

public static class HostLifetimeExtensions
{
    /// <summary>
    /// Completes once the host has started every hosted service (the bus among them), for background work
    /// that needs a running bus; throws when <paramref name="stoppingToken"/> fires first.
    /// </summary>
    public static async Task WhenStartedAsync(this IHostApplicationLifetime lifetime, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
    }
}
