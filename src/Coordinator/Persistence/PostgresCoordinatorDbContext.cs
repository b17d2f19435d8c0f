using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Workflow.Messaging.Persistence;

namespace Workflow.Messaging.Coordinator.Persistence;

/// <summary>
/// The coordinator's model on PostgreSQL. EF Core finds migrations by the exact context type, so
/// this type is what the PostgreSQL migrations (Migrations/Postgres) belong to. It adds one thing:
/// the saga row's version (the system column xmin), which lets a step write a row it did not lock
/// (<see cref="Executions.ExecutionStateCache"/>).
/// </summary>
public sealed class PostgresCoordinatorDbContext(DbContextOptions<PostgresCoordinatorDbContext> options) : CoordinatorDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Executions.WorkflowExecutionState>().UseXminConcurrencyToken();
    }
}

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
