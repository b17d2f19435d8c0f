using Npgsql;

namespace Workflow.Messaging.Scheduling.Tests.Infrastructure;

/// <summary>A throwaway database per test class, so job stores and schema provisioning never collide.</summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    readonly string _name = $"wf_scheduling_{Guid.NewGuid():N}";

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Execute($"CREATE DATABASE \"{_name}\"");
        ConnectionString = new NpgsqlConnectionStringBuilder(LocalServices.Postgres) { Database = _name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Execute($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }

    static async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(LocalServices.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
