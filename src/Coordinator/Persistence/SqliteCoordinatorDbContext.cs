using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Workflow.Messaging.Coordinator.Persistence;

/// <summary>
/// The coordinator's model on SQLite. It adds nothing to the model: EF Core finds migrations by
/// the exact context type, so this type is what the SQLite migrations (Migrations/Sqlite) belong to.
/// </summary>
public sealed class SqliteCoordinatorDbContext(DbContextOptions<SqliteCoordinatorDbContext> options) : CoordinatorDbContext(options);

/// <summary>
/// Lets <c>dotnet ef</c> build the context without a host; <c>dotnet ef database update -- "Data Source=..."</c>
/// takes the connection string as its first argument.
/// </summary>
public sealed class SqliteCoordinatorDbContextFactory : IDesignTimeDbContextFactory<SqliteCoordinatorDbContext>
{
    public SqliteCoordinatorDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteCoordinatorDbContext>()
            .UseSqlite(args.FirstOrDefault() ?? PersistenceOptions.DefaultSqliteConnectionString)
            .Options);
}
