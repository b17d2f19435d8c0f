using System.Diagnostics;

namespace Workflow.Messaging.Bench.Chaos;

/// <summary>Restarts of the shared services, through their own control tools.</summary>
internal static class ServiceControl
{
    /// <summary>Stops and starts the RabbitMQ application: every connection drops, durable queues and their messages stay.</summary>
    public static async Task RestartRabbitMqAsync(TextWriter log, CancellationToken cancellation)
    {
        await RunAsync("rabbitmqctl", ["stop_app"], log, cancellation);
        await RunAsync("rabbitmqctl", ["start_app"], log, cancellation);
        await RunAsync("rabbitmqctl", ["await_startup"], log, cancellation);
    }

    /// <summary>A fast restart: open transactions are rolled back, every connection drops.</summary>
    public static Task RestartPostgresAsync(TextWriter log, CancellationToken cancellation) =>
        RunAsync("pg_ctlcluster", [Environment.GetEnvironmentVariable("PG_VERSION") ?? "15", "main", "restart", "-m", "fast"], log, cancellation);

    /// <summary>The broker closes every client connection of one virtual host; the broker itself stays up.</summary>
    public static Task DropConnectionsAsync(string virtualHost, string reason, TextWriter log, CancellationToken cancellation) =>
        RunAsync("rabbitmqctl", ["close_all_connections", "--vhost", virtualHost, reason], log, cancellation);

    private static async Task RunAsync(string command, string[] arguments, TextWriter log, CancellationToken cancellation)
    {
        var info = new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not run {command}.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        log.WriteLine($"chaos: {command} {string.Join(' ', arguments)} done");
    }
}
