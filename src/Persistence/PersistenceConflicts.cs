using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Workflow.Messaging.Persistence;

/// <summary>
/// Which failures mean "another transaction got there first; run the message again on a fresh
/// scope". Decided by SQLSTATE / SQLite result code, never by message text.
/// </summary>
public static class PersistenceConflicts
{
    const int SqliteBusy = 5;
    const int SqliteLocked = 6;
    const int SqliteConstraint = 19;
    const int SqliteConstraintPrimaryKey = 1555;
    const int SqliteConstraintUnique = 2067;

    static readonly HashSet<string> ConflictSqlStates =
    [
        PostgresErrorCodes.SerializationFailure,
        PostgresErrorCodes.DeadlockDetected,
        PostgresErrorCodes.UniqueViolation,
        PostgresErrorCodes.LockNotAvailable,
    ];

    public static bool IsConflict(Exception exception)
    {
        for (Exception? current = exception; current != null; current = current.InnerException)
        {
            switch (current)
            {
                case DbUpdateConcurrencyException:
                    return true;
                case PostgresException postgres when ConflictSqlStates.Contains(postgres.SqlState):
                    return true;
                case SqliteException sqlite when sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked:
                    return true;
                case SqliteException sqlite when sqlite.SqliteErrorCode == SqliteConstraint
                    && sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>e.UseMessageRetry(r =&gt; { r.Interval(10, 50); r.HandlePersistenceConflicts(); })</c>.
    /// Configure the retry before the outbox so each attempt gets a fresh scope and DbContext.
    /// </summary>
    public static IRetryConfigurator HandlePersistenceConflicts(this IRetryConfigurator configurator)
    {
        configurator.Handle<Exception>(IsConflict);
        return configurator;
    }
}
