using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Workflow.Messaging.Persistence;

/// <summary>
/// What differs between the supported databases: how rows are locked and which isolation level a
/// write transaction uses. PostgreSQL locks rows; SQLite serializes every write transaction
/// (BEGIN IMMEDIATE), so a plain read inside the transaction is already exclusive.
/// </summary>
public sealed class DatabaseDialect
{
    public static readonly DatabaseDialect Postgres = new("PostgreSQL", IsolationLevel.ReadCommitted, true);
    public static readonly DatabaseDialect Sqlite = new("SQLite", IsolationLevel.Serializable, false);

    DatabaseDialect(string name, IsolationLevel isolationLevel, bool supportsRowLocks)
    {
        Name = name;
        IsolationLevel = isolationLevel;
        SupportsRowLocks = supportsRowLocks;
    }

    public string Name { get; }

    /// <summary>
    /// ReadCommitted on PostgreSQL: under RepeatableRead a waiter on FOR UPDATE fails with 40001
    /// instead of reading the row its predecessor committed.
    /// </summary>
    public IsolationLevel IsolationLevel { get; }

    public bool SupportsRowLocks { get; }

    public static DatabaseDialect For(DbContext dbContext, DatabaseDialect? configured = null)
    {
        if (configured != null)
            return configured;

        var provider = dbContext.Database.ProviderName ?? "";
        if (provider.Contains("Npgsql", StringComparison.OrdinalIgnoreCase))
            return Postgres;
        if (provider.Contains("Sqlite", StringComparison.OrdinalIgnoreCase))
            return Sqlite;

        throw new NotSupportedException($"No locking dialect for EF Core provider '{provider}'. Use PostgreSQL or SQLite.");
    }

    public override string ToString() => Name;

    internal static string Table(IEntityType entityType)
    {
        var table = entityType.GetTableName() ?? throw new InvalidOperationException($"{entityType.Name} is not mapped to a table.");
        var schema = entityType.GetSchema();
        return schema == null ? Quote(table) : $"{Quote(schema)}.{Quote(table)}";
    }

    internal static string Column(IEntityType entityType, string propertyName)
    {
        var property = entityType.FindProperty(propertyName)
            ?? throw new InvalidOperationException($"{entityType.Name} has no property {propertyName}.");
        var store = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        return Quote(property.GetColumnName(store)!);
    }

    static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
