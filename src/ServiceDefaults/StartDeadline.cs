using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Workflow.Messaging.ServiceDefaults;

/// <summary>
/// Bounds a host's start. The coordinator's start waits until every receive endpoint is bound, and
/// the chaos runs under CPU load caught one that was started while the broker dropped connections
/// and restarted, and did not finish starting for 70 s, until the plan killed it: its executions
/// stalled, while the receive-endpoint watchdog, which only watches a started host, had nothing to
/// look at. A host that has not started within <c>Hosting:StartDeadline</c> (2 minutes; zero turns
/// it off) stops with exit code 75 (EX_TEMPFAIL) for its supervisor to start it again, like the
/// watchdog does for a started one; a start step that ignores the stop is ended by a kill 30 s later.
/// </summary>
public static class StartDeadline
{
    public const string Setting = "Hosting:StartDeadline";
    /// <summary>EX_TEMPFAIL (<see cref="SupervisedExit.ExitCode"/>).</summary>
    public const int ExitCode = SupervisedExit.ExitCode;
    public static readonly TimeSpan Default = TimeSpan.FromMinutes(2);

    private static volatile bool _passed;

    /// <summary>Registers the deadline; call it before anything else that starts with the host.</summary>
    public static IHostApplicationBuilder AddStartDeadline(this IHostApplicationBuilder builder)
    {
        var deadline = builder.Configuration.GetValue<TimeSpan?>(Setting) ?? Default;
        if (deadline > TimeSpan.Zero)
            builder.Services.AddSingleton<IHostedService>(sp => new Watch(deadline,
                sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartDeadline))));
        return builder;
    }

    /// <summary>
    /// Runs the host until it stops and returns the process's exit code: <see cref="ExitCode"/> when
    /// the start deadline stopped it (the cancelled start makes the host throw), otherwise whatever
    /// the host set (0, or 75 from the endpoint watchdog).
    /// </summary>
    public static int RunUntilStopped(this IHost host)
    {
        SupervisedExit.OwnsProcess = true;
        try
        {
            host.Run();
            // 0, or the 75 that the deadline or the endpoint watchdog set before stopping the host.
            return Environment.ExitCode;
        }
        catch (Exception) when (_passed)
        {
            // The stop cancelled the start, so the host throws (what depends on the step it cancelled).
            return ExitCode;
        }
    }

    private sealed class Watch(TimeSpan deadline, IHostApplicationLifetime lifetime, ILogger log) : IHostedService, IDisposable
    {
        private readonly CancellationTokenSource _started = new();

        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(_started.Cancel);
            // Not awaited: the host's start goes on, and this runs beside it.
            _ = Task.Run(WatchAsync, CancellationToken.None);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            _started.Cancel();
            return Task.CompletedTask;
        }

        private async Task WatchAsync()
        {
            try
            {
                await Task.Delay(deadline, _started.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            log.LogCritical("The host did not finish starting within {Deadline} ({Setting}); stopping the process (exit code {ExitCode}) for its supervisor to start it again",
                deadline, Setting, ExitCode);
            // Only a host that is the process sets its exit code; one built inside a test is stopped.
            if (!SupervisedExit.OwnsProcess)
            {
                lifetime.StopApplication();
                return;
            }
            _passed = true;
            SupervisedExit.Request(lifetime, log);
        }

        // A host whose start failed is disposed without having started: the watch ends with it. The
        // source is never disposed: a test factory stops its host after disposing it, and Cancel
        // must still work then (a CancellationTokenSource without a timer holds nothing to release).
        public void Dispose() => _started.Cancel();
    }
}
