using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Workflow.Messaging.Persistence.Tests;

public class PersistenceConflictsTests
{
    [Theory]
    [InlineData(PostgresErrorCodes.SerializationFailure)]
    [InlineData(PostgresErrorCodes.DeadlockDetected)]
    [InlineData(PostgresErrorCodes.UniqueViolation)]
    public void IsConflict_PostgresConflictSqlState_True(string sqlState)
    {
        var exception = new DbUpdateException("save failed", new PostgresException("conflict", "ERROR", "ERROR", sqlState));

        PersistenceConflicts.IsConflict(exception).Should().BeTrue();
    }

    [Fact]
    public void IsConflict_PostgresOtherSqlState_False()
    {
        var exception = new DbUpdateException("save failed",
            new PostgresException("no such column", "ERROR", "ERROR", PostgresErrorCodes.UndefinedColumn));

        PersistenceConflicts.IsConflict(exception).Should().BeFalse();
    }

    [Theory]
    [InlineData(5, 5)]
    [InlineData(6, 6)]
    [InlineData(19, 2067)]
    public void IsConflict_SqliteBusyLockedOrUnique_True(int errorCode, int extendedErrorCode)
    {
        var exception = new DbUpdateException("save failed", new SqliteException("conflict", errorCode, extendedErrorCode));

        PersistenceConflicts.IsConflict(exception).Should().BeTrue();
    }

    [Fact]
    public void IsConflict_SqliteNotNullViolation_False()
    {
        PersistenceConflicts.IsConflict(new SqliteException("NOT NULL constraint failed", 19, 1299)).Should().BeFalse();
    }

    [Fact]
    public void IsConflict_ConcurrencyException_True()
    {
        PersistenceConflicts.IsConflict(new DbUpdateConcurrencyException("row changed")).Should().BeTrue();
    }

    [Fact]
    public void IsConflict_UnrelatedException_False()
    {
        PersistenceConflicts.IsConflict(new InvalidOperationException("bug")).Should().BeFalse();
    }
}
