using Npgsql;
using Workflow.Messaging.Coordinator.Persistence;

namespace Workflow.Messaging.Coordinator.Tests.Persistence;

/// <summary>A throwaway database per test class: a PostgreSQL database on the local server, or a SQLite file.</summary>
public abstract class CoordinatorDatabase : IAsyncLifetime
{
    public abstract PersistenceOptions Options { get; }

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();
}

public sealed class PostgresCoordinatorDatabase : CoordinatorDatabase
{
    private static readonly string Server = LocalServices.Postgres;

    private readonly string _name = $"wf_coordinator_{Guid.NewGuid():N}"[..32];

    public override PersistenceOptions Options => new()
    {
        Provider = PersistenceProvider.Postgres,
        ConnectionString = new NpgsqlConnectionStringBuilder(Server) { Database = _name }.ConnectionString,
        Schema = SchemaMode.Migrate,
    };

    public override Task InitializeAsync() => Execute($"CREATE DATABASE \"{_name}\"");

    public override Task DisposeAsync() => Execute($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");

    private static async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

public sealed class SqliteCoordinatorDatabase : CoordinatorDatabase
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"wf-coordinator-{Guid.NewGuid():N}.db");

    public override PersistenceOptions Options => new()
    {
        Provider = PersistenceProvider.Sqlite,
        ConnectionString = $"Data Source={_path};Default Timeout=30;Pooling=False",
        Schema = SchemaMode.Migrate,
    };

    public override Task InitializeAsync() => Task.CompletedTask;

    public override Task DisposeAsync()
    {
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
            File.Delete(file);
        return Task.CompletedTask;
    }
}

/// <summary>No database: the in-memory saga repository and attempt store.</summary>
public sealed class MemoryCoordinatorDatabase : CoordinatorDatabase
{
    public override PersistenceOptions Options => new() { Provider = PersistenceProvider.Memory };

    public override Task InitializeAsync() => Task.CompletedTask;

    public override Task DisposeAsync() => Task.CompletedTask;
}
