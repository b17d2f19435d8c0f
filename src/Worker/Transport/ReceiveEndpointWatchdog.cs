using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workflow.Messaging.ServiceDefaults;

namespace Workflow.Messaging.Worker.Transport;

/// <summary>
/// Keeps this process consuming. MassTransit reconnects after a broker restart or a dropped connection,
/// but the chaos runs under CPU load caught a coordinator that had been starting when RabbitMQ
/// restarted and never had a consumer on its saga queue again: healthy to every process check, its
/// executions stalled until their leases. This watches what matters (each receive endpoint ready in
/// MassTransit, and its queue with a consumer on the broker itself), and when an endpoint stays dead
/// for <see cref="EndpointWatchdogOptions.DeadAfter"/> while the broker answers, restarts the bus. If a
/// restart does not bring it back, the process stops with exit code 75 (EX_TEMPFAIL) for its
/// supervisor to start again: the outbox and the broker's redelivery make a restart lose nothing.
/// </summary>
public sealed class ReceiveEndpointWatchdog(
    IBusControl bus,
    IBrokerQueueProbe broker,
    IOptions<EndpointWatchdogOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ReceiveEndpointWatchdog> log) : BackgroundService
{
    public const int ExitCodeWhenDead = StartDeadline.ExitCode;

    private readonly DeadEndpointTracker _tracker = new(options.Value.DeadAfter);
    private bool _restartedSinceAlive;

    /// <summary>How many times this watchdog restarted the bus (also counted by <c>workflow.transport.bus_restarts</c>).</summary>
    public int BusRestarts { get; private set; }

    /// <summary>Why this watchdog stopped the process, once it has (also logged as critical).</summary>
    public string? StoppedBecause { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
            return;
        // Nothing to watch before the host has started the bus (start-up waits for every endpoint).
        await lifetime.WhenStartedAsync(stoppingToken);
        await PeriodicWork.RunAsync("The endpoint watchdog's check", options.Value.CheckInterval, time, log, CheckAsync, stoppingToken);
    }

    private async Task CheckAsync(CancellationToken stoppingToken)
    {
        // Once the process is stopping (by this watchdog or anyone), the endpoints going dead is
        // the stop itself: nothing to remedy, and the first reason stays the one reported.
        if (StoppedBecause is not null || lifetime.ApplicationStopping.IsCancellationRequested)
            return;
        var observations = await ObserveAsync(stoppingToken);
        if (observations is null)
            return;
        if (observations.All(o => !o.LooksDead))
            _restartedSinceAlive = false;
        var dead = _tracker.Observe(observations, time.GetUtcNow());
        if (dead.Count > 0)
            await RemedyAsync(dead);
    }

    private async Task<IReadOnlyList<EndpointObservation>?> ObserveAsync(CancellationToken cancellation)
    {
        var endpoints = bus.CheckHealth().Endpoints
            .Select(e => (Name: e.Key, e.Value, Queue: QueueOf(e.Value.InputAddress)))
            .Where(e => e.Queue is not null)
            .ToList();
        if (endpoints.Count == 0)
            return null;
        var readings = await broker.ReadAsync(endpoints.Select(e => e.Queue!).ToList(), cancellation);
        if (readings is null)
            return null;
        return endpoints.Zip(readings, (e, reading) => new EndpointObservation(e.Name, e.Queue!,
            e.Value.Status == BusHealthStatus.Healthy, e.Value.Description ?? e.Value.Status.ToString(), reading)).ToList();
    }

    /// <summary>
    /// The queue of a durable endpoint; null for temporary ones (the bus's own, the progress feed's that
    /// comes and goes with its watchers): nothing waits on them, and a stopped one is meant to be gone.
    /// </summary>
    public static string? QueueOf(Uri? inputAddress)
    {
        if (inputAddress is null)
            return null;
        var query = inputAddress.Query;
        if (query.Contains("temporary=true", StringComparison.OrdinalIgnoreCase)
            || query.Contains("autodelete=true", StringComparison.OrdinalIgnoreCase)
            || query.Contains("durable=false", StringComparison.OrdinalIgnoreCase))
            return null;
        var segments = inputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == 0 ? null : Uri.UnescapeDataString(segments[^1]);
    }

    private async Task RemedyAsync(IReadOnlyList<EndpointObservation> dead)
    {
        var what = string.Join("; ", dead.Select(d => d.Describe()));
        if (_restartedSinceAlive)
        {
            StopProcess($"receive endpoints still dead after a bus restart: {what}");
            return;
        }

        log.LogError("Receive endpoints dead for {DeadAfter} while the broker answers ({Endpoints}); restarting the bus",
            options.Value.DeadAfter, what);
        _restartedSinceAlive = true;
        BusRestarts++;
        WorkflowTelemetry.BusRestarts.Add(1);
        try
        {
            if (!await WithinRestartTimeout(token => bus.StopAsync(token)))
            {
                // MassTransit returns from a stop it gave up on, and a start after it does nothing
                // ("the host was already started"; a CI chaos run under load saw exactly that); a
                // consume that ignores its token keeps the stop from returning at all. Waiting
                // another DeadAfter for the same dead endpoints only lengthens the stall.
                StopProcess($"the bus did not stop within {options.Value.RestartTimeout} for its restart; {what}");
                return;
            }
            if (!await WithinRestartTimeout(token => bus.StartAsync(token)))
                throw new TimeoutException($"The bus did not start within {options.Value.RestartTimeout}.");
            log.LogWarning("Bus restarted by the endpoint watchdog");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The next check sees whether the endpoints came back; if not, the process stops.
            log.LogError(exception, "The endpoint watchdog's bus restart failed");
        }
        _tracker.Reset();
    }

    // True when the bus did it in time; the watchdog never waits on the bus longer than that, even
    // when the bus ignores its token.
    private async Task<bool> WithinRestartTimeout(Func<CancellationToken, Task> operation)
    {
        using var timeout = new CancellationTokenSource(options.Value.RestartTimeout, time);
        try
        {
            await operation(timeout.Token).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return false;
        }
        return !timeout.IsCancellationRequested;
    }

    private void StopProcess(string why)
    {
        StoppedBecause = why;
        log.LogCritical("Stopping the process (exit code {ExitCode}) for its supervisor to start it again: {Reason}", ExitCodeWhenDead, why);
        SupervisedExit.Request(lifetime, log);
    }
}
