using Npgsql;

namespace Workflow.Messaging.Api.Tests.Infrastructure;

/// <summary>
/// A database of its own on the PostgreSQL server named by WF_POSTGRES (loopback by default),
/// created for one coordinator host and dropped with it, so hosts running in parallel never
/// share executions or definitions.
/// </summary>
public sealed class PostgresTestDatabase
{
    private static readonly string Server = LocalServices.Postgres;

    private readonly string _name = $"wf_api_{Guid.NewGuid():N}"[..24];
    private bool _dropped;

    public PostgresTestDatabase()
    {
        Execute($"CREATE DATABASE \"{_name}\"");
        ConnectionString = new NpgsqlConnectionStringBuilder(Server) { Database = _name }.ConnectionString;
    }

    public string ConnectionString { get; }

    public void Drop()
    {
        if (_dropped)
            return;
        _dropped = true;
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }

    private static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(Server);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
