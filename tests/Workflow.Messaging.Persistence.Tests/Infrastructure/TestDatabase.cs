using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Workflow.Messaging.Persistence.Tests.CounterSaga;

namespace Workflow.Messaging.Persistence.Tests.Infrastructure;

/// <summary>One database (PostgreSQL schema or SQLite file) per test class, created once.</summary>
public abstract class TestDatabase : IAsyncLifetime
{
    public abstract DatabaseSchema Schema { get; }

    public abstract void Configure(DbContextOptionsBuilder options);

    public CounterDbContext CreateDbContext()
    {
        var options = new DbContextOptionsBuilder<CounterDbContext>();
        Configure(options);
        return new CounterDbContext(options.Options, Schema);
    }

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    protected async Task CreateTables()
    {
        await using var dbContext = CreateDbContext();
        await dbContext.GetService<IRelationalDatabaseCreator>().CreateTablesAsync();
    }
}

public class PostgresDatabase : TestDatabase
{
    static readonly string ConnectionString = LocalServices.Postgres;

    public PostgresDatabase()
        : this(optimistic: false)
    {
    }

    protected PostgresDatabase(bool optimistic, bool rowCache = false)
    {
        Schema = new DatabaseSchema($"persistence_{Guid.NewGuid():N}"[..24], optimistic, rowCache);
    }

    public override DatabaseSchema Schema { get; }

    public override void Configure(DbContextOptionsBuilder options) =>
        options.UseNpgsql(ConnectionString)
            .ReplaceService<IModelCacheKeyFactory, SchemaModelCacheKeyFactory>();

    public override async Task InitializeAsync()
    {
        await Execute($"CREATE SCHEMA \"{Schema.Name}\"");
        await CreateTables();
    }

    public override Task DisposeAsync() => Execute($"DROP SCHEMA IF EXISTS \"{Schema.Name}\" CASCADE");

    static async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

public sealed class PostgresOptimisticDatabase() : PostgresDatabase(optimistic: true);

public sealed class PostgresRowCacheDatabase() : PostgresDatabase(optimistic: false, rowCache: true);

public sealed class SqliteDatabase : TestDatabase
{
    readonly string _path = Path.Combine(Path.GetTempPath(), $"persistence-{Guid.NewGuid():N}.db");

    public override DatabaseSchema Schema { get; } = new(null);

    // Default Timeout is the busy timeout: a writer waits this long for BEGIN IMMEDIATE.
    public override void Configure(DbContextOptionsBuilder options) =>
        options.UseSqlite($"Data Source={_path};Default Timeout=30")
            .ReplaceService<IModelCacheKeyFactory, SchemaModelCacheKeyFactory>();

    public override async Task InitializeAsync()
    {
        await CreateTables();
        await using var dbContext = CreateDbContext();
        await dbContext.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL");
    }

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
            File.Delete(file);
        return Task.CompletedTask;
    }
}
