using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Workflow.Messaging.Coordinator.Persistence;

/// <summary>
/// The coordinator's model on PostgreSQL. It adds nothing to the model: EF Core finds migrations by
/// the exact context type, so this type is what the PostgreSQL migrations (Migrations/Postgres) belong to.
/// </summary>
public sealed class PostgresCoordinatorDbContext(DbContextOptions<PostgresCoordinatorDbContext> options) : CoordinatorDbContext(options);

/// <summary>
/// Lets <c>dotnet ef</c> build the context without a host or a database. Generating a migration or
/// a script never connects; <c>dotnet ef database update -- "Host=...;Database=..."</c> takes the
/// connection string as its first argument.
/// </summary>
public sealed class PostgresCoordinatorDbContextFactory : IDesignTimeDbContextFactory<PostgresCoordinatorDbContext>
{
    public PostgresCoordinatorDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresCoordinatorDbContext>()
            .UseNpgsql(args.FirstOrDefault() ?? "Host=127.0.0.1;Database=workflow")
            .Options);
}
