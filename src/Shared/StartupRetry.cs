using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Workflow.Messaging;

/// <summary>
/// Start-up steps that need the database (schema migration, the scheduler's job store) wait out an
/// outage instead of failing the host. A host whose start fails exits, and where nothing restarts it
/// (a bench or test fleet, a plain <c>dotnet</c> run, a VM without a supervisor) every execution it
/// would have driven waits for a lease; the chaos runs under load found exactly that when PostgreSQL
/// restarted while a coordinator started ("57P03: the database system is shutting down").
/// </summary>
/// <remarks>
/// One source file compiled into Persistence and Scheduling (linked, internal in each), like
/// <see cref="BoundedSend"/>.
/// </remarks>
internal static class StartupRetry
{
    public static readonly TimeSpan DefaultRetryFor = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs <paramref name="step"/> until it succeeds; a database outage (<see cref="IsDatabaseOutage"/>) is tried again
    /// with a growing delay for up to <paramref name="retryFor"/>, anything else fails at once.
    /// </summary>
    public static async Task RunAsync(string step, Func<CancellationToken, Task> run, ILogger? log, TimeSpan retryFor, CancellationToken cancellation)
    {
        var elapsed = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(500);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await run(cancellation).ConfigureAwait(false);
                if (attempt > 1)
                    log?.LogInformation("{Step} succeeded on attempt {Attempt} after {Elapsed}", step, attempt, elapsed.Elapsed);
                return;
            }
            catch (Exception exception) when (IsDatabaseOutage(exception) && elapsed.Elapsed + delay < retryFor && !cancellation.IsCancellationRequested)
            {
                log?.LogWarning("{Step} failed on attempt {Attempt}, the database is not reachable ({Reason}); trying again in {Delay}",
                    step, attempt, Innermost(exception).Message, delay);
                await Task.Delay(delay, cancellation).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }

    /// <summary>
    /// The database was briefly unreachable: a restart or failover closes connections (SQLSTATE class 08,
    /// 57P01-57P03) and Npgsql marks such errors transient. Decided by SQLSTATE and Npgsql's own
    /// classification, never by text.
    /// </summary>
    public static bool IsDatabaseOutage(Exception exception)
    {
        for (Exception? current = exception; current != null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres when postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                    || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow:
                    return true;
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
                case SocketException or TimeoutException:
                    return true;
            }
        }
        return false;
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
            exception = inner;
        return exception;
    }
}
