namespace Workflow.Messaging.Coordinator.Persistence;

/// <summary>Where executions, outputs and definitions live; bound from the <c>Persistence</c> section.</summary>
public sealed class PersistenceOptions
{
    public const string Section = "Persistence";

    public const string DefaultSqliteConnectionString = "Data Source=workflow.db;Default Timeout=30";

    /// <summary>sqlite (the embedded default: a file in the working directory), postgres, or memory (tests only).</summary>
    public PersistenceProvider Provider { get; set; } = PersistenceProvider.Sqlite;

    /// <summary>Connection string; for SQLite the default is <c>Data Source=workflow.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// What start-up does to the schema, before anything is consumed (<c>Persistence:Schema</c>):
    /// <list type="bullet">
    /// <item><c>None</c>: nothing; the default for PostgreSQL, whose schema a deployment step
    /// migrates (<c>dotnet ef migrations script --idempotent</c>, or one coordinator started with
    /// <c>Migrate</c>), so a production database is never changed unless its configuration says so.</item>
    /// <item><c>Migrate</c>: applies the pending EF Core migrations of the provider; the default for
    /// the embedded SQLite file.</item>
    /// <item><c>EnsureCreated</c>: creates every table of the current model when the database has
    /// none, without migration history, so the database can never be migrated later: throwaway
    /// databases only.</item>
    /// </list>
    /// </summary>
    public SchemaMode? Schema { get; set; }

    /// <summary>
    /// Superseded by <see cref="Schema"/>, which wins when both are set: <c>true</c> means
    /// <c>Migrate</c>, <c>false</c> means <c>None</c>.
    /// </summary>
    public bool? CreateSchema { get; set; }

    public SchemaMode EffectiveSchema => Schema ?? CreateSchema switch
    {
        true => SchemaMode.Migrate,
        false => SchemaMode.None,
        null => Provider == PersistenceProvider.Sqlite ? SchemaMode.Migrate : SchemaMode.None,
    };

    public string EffectiveConnectionString => ConnectionString ?? Provider switch
    {
        PersistenceProvider.Sqlite => DefaultSqliteConnectionString,
        _ => throw new InvalidOperationException($"Persistence:ConnectionString is required for the {Provider} provider."),
    };
}

public enum PersistenceProvider
{
    Sqlite,
    Postgres,
    Memory,
}

/// <summary>See <see cref="PersistenceOptions.Schema"/>.</summary>
public enum SchemaMode
{
    None,
    Migrate,
    EnsureCreated,
}
