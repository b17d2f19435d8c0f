using Npgsql;
using Workflow.Messaging.Bench.Fleet;

namespace Workflow.Messaging.Bench.Chaos;

/// <summary>
/// What a failed chaos run needs to be diagnosed from its output alone (CI keeps nothing else):
/// where the unfinished executions stand in the database, what the outbox and the scheduler still
/// hold, which queues have messages, and the warnings at the end of each process's log.
/// </summary>
internal static class StuckExecutionReport
{
    public static async Task WriteAsync(ProcessFleet fleet, IReadOnlyCollection<Guid> unfinished, TextWriter log, CancellationToken cancellation)
    {
        log.WriteLine($"stuck: {unfinished.Count} executions unfinished; first ids: {string.Join(", ", unfinished.Take(5))}");
        await Try(log, "database", () => WriteDatabaseAsync(fleet.DatabaseConnectionString, unfinished, log, cancellation));
        await Try(log, "queues", async () =>
        {
            foreach (var queue in await fleet.Management.QueuesAsync(fleet.Options.VirtualHost, cancellation))
                if (queue.Messages > 0)
                    log.WriteLine($"stuck: queue {queue.Name} holds {queue.Messages} ({queue.Unacknowledged} unacknowledged), {queue.Consumers} consumers");
        });
        foreach (var process in fleet.WorkerProcesses.Prepend(fleet.CoordinatorProcess).OfType<FleetProcess>())
        {
            var notable = process.Tail(4000).Split('\n')
                .Where(line => line.Contains("warn", StringComparison.OrdinalIgnoreCase) || line.Contains("fail", StringComparison.OrdinalIgnoreCase)
                    || line.Contains("error", StringComparison.OrdinalIgnoreCase) || line.Contains("exception", StringComparison.OrdinalIgnoreCase))
                .TakeLast(15);
            log.WriteLine($"stuck: {process.Role} (pid {process.Pid}, exited {process.HasExited}) last warnings:");
            foreach (var line in notable)
                log.WriteLine("  " + (line.Length > 400 ? line[..400] : line));
        }
    }

    private static async Task WriteDatabaseAsync(string connectionString, IReadOnlyCollection<Guid> unfinished, TextWriter log, CancellationToken cancellation)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        var ids = unfinished.ToArray();
        await using (var states = source.CreateCommand(
            """SELECT "CurrentState", count(*) FROM workflow_executions WHERE "CorrelationId" = ANY($1) GROUP BY 1"""))
        {
            states.Parameters.Add(new NpgsqlParameter { Value = ids });
            await using var reader = await states.ExecuteReaderAsync(cancellation);
            var found = 0L;
            while (await reader.ReadAsync(cancellation))
            {
                found += reader.GetInt64(1);
                log.WriteLine($"stuck: saga state {reader.GetString(0)}: {reader.GetInt64(1)}");
            }
            log.WriteLine($"stuck: no saga row: {ids.Length - found}");
        }
        await using (var sample = source.CreateCommand(
            """SELECT "CorrelationId", "CurrentState", left("RuntimeJson", 1500), "LeaseCheckAt" FROM workflow_executions WHERE "CorrelationId" = ANY($1) LIMIT 2"""))
        {
            sample.Parameters.Add(new NpgsqlParameter { Value = ids });
            await using var reader = await sample.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
                log.WriteLine($"stuck: {reader.GetGuid(0)} {reader.GetString(1)} lease check {(reader.IsDBNull(3) ? "none" : reader.GetDateTime(3).ToString("O"))} runtime {reader.GetString(2)}");
        }
        foreach (var (label, sql) in new[]
        {
            ("outbox messages not sent", """SELECT count(*) FROM "OutboxMessage" """),
            ("outbox states not delivered", """SELECT count(*) FROM "OutboxState" WHERE "Delivered" IS NULL"""),
            ("inbox rows not delivered", """SELECT count(*) FROM "InboxState" WHERE "Delivered" IS NULL"""),
            ("scheduler triggers by state", """SELECT coalesce(string_agg(trigger_state || '=' || n, ', '), 'none') FROM (SELECT trigger_state, count(*) n FROM qrtz_triggers GROUP BY 1) t"""),
            ("scheduler next fire (ms from now)", """SELECT coalesce(min(next_fire_time / 10000 - 62135596800000 - (extract(epoch FROM now()) * 1000)::bigint)::text, 'none') FROM qrtz_triggers"""),
        })
            await Try(log, label, async () =>
            {
                await using var command = source.CreateCommand(sql);
                log.WriteLine($"stuck: {label}: {await command.ExecuteScalarAsync(cancellation)}");
            });
    }

    private static async Task Try(TextWriter log, string what, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is NpgsqlException or HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            log.WriteLine($"stuck: could not read {what}: {e.Message}");
        }
    }
}
