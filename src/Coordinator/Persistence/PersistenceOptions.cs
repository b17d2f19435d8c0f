namespace Workflow.Messaging.Coordinator.Persistence;

/// <summary>Where executions, outputs and definitions live; bound from the <c>Persistence</c> section.</summary>
public sealed class PersistenceOptions
{
    public const string Section = "Persistence";

    /// <summary>sqlite (the embedded default: a file in the working directory), postgres, or memory (tests only).</summary>
    public PersistenceProvider Provider { get; set; } = PersistenceProvider.Sqlite;

    /// <summary>Connection string; for SQLite the default is <c>Data Source=workflow.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Creates the tables at start-up when the database has none. Unset, it is on for the
    /// embedded SQLite file and off for PostgreSQL, so a production database is never changed
    /// unless its configuration says <c>Persistence:CreateSchema=true</c>.
    /// </summary>
    public bool? CreateSchema { get; set; }

    public bool EffectiveCreateSchema => CreateSchema ?? Provider == PersistenceProvider.Sqlite;

    public string EffectiveConnectionString => ConnectionString ?? Provider switch
    {
        PersistenceProvider.Sqlite => "Data Source=workflow.db;Default Timeout=30",
        _ => throw new InvalidOperationException($"Persistence:ConnectionString is required for the {Provider} provider."),
    };
}

public enum PersistenceProvider
{
    Sqlite,
    Postgres,
    Memory,
}
