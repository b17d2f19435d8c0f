using System.Diagnostics;
using Npgsql;

namespace Workflow.Messaging.Bench.Baseline;

/// <summary>Tiny INSERT + COMMIT in a loop over a few connections: how many durable commits this machine does per second.</summary>
internal static class PostgresCommitRate
{
    public static async Task<double> MeasureAsync(string connectionString, int connections, TimeSpan duration, CancellationToken cancellation)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using (var setup = source.CreateCommand("CREATE SCHEMA IF NOT EXISTS bench; CREATE TABLE IF NOT EXISTS bench.commit_rate (id bigserial PRIMARY KEY, payload text NOT NULL); TRUNCATE bench.commit_rate;"))
            await setup.ExecuteNonQueryAsync(cancellation);

        var watch = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            await using var connection = await source.OpenConnectionAsync(cancellation);
            await using var insert = new NpgsqlCommand("INSERT INTO bench.commit_rate (payload) VALUES ($1)", connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = "x" });
            var done = 0;
            while (watch.Elapsed < duration)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellation);
                insert.Transaction = transaction;
                await insert.ExecuteNonQueryAsync(cancellation);
                await transaction.CommitAsync(cancellation);
                done++;
            }
            return done;
        }));
        return counts.Sum() / watch.Elapsed.TotalSeconds;
    }
}
