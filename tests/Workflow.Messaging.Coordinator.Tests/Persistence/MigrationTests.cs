using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Coordinator.Persistence;
using static Workflow.Messaging.Coordinator.Tests.Define;

namespace Workflow.Messaging.Coordinator.Tests.Persistence;

/// <summary>The checked-in migrations of each provider: complete for the current model, and enough to run on.</summary>
public abstract class MigrationTests<TDatabase, TContext>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : CoordinatorDatabase
    where TContext : CoordinatorDbContext
{
    [Fact]
    public async Task The_model_has_no_change_missing_from_the_latest_migration()
    {
        await using var services = new ServiceCollection().AddCoordinatorPersistence(database.Options).BuildServiceProvider();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CoordinatorDbContext>();

        db.Should().BeOfType<TContext>("the provider's subclass is what owns its migrations");
        db.Database.GetMigrations().Should().NotBeEmpty();
        db.Database.HasPendingModelChanges().Should().BeFalse(
            $"a model change needs `dotnet ef migrations add <Name> --project src/Coordinator --context {typeof(TContext).Name}`");
    }

    [Fact]
    public async Task When_a_fresh_database_is_migrated_then_every_migration_is_applied_and_an_execution_runs_on_it()
    {
        await using var h = await ExecutionHarness.StartAsync(persistence: database.Options);
        await using (var scope = h.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CoordinatorDbContext>();
            (await db.Database.GetAppliedMigrationsAsync()).Should().Equal(db.Database.GetMigrations());
        }

        var id = await h.StartAsync(Parse("""
            {
              "id": "migrated",
              "nodes": [
                { "id": "greet", "type": "set", "parameters": { "values": { "text": "hello {{ $input.name }}" } } },
                { "id": "done", "type": "noop" }
              ],
              "connections": [ { "from": "greet", "to": "done" } ]
            }
            """), new { name = "schema" });

        await h.WaitForAsync(id, m => m.Succeeded);
        (await h.OutputAsync(id, "greet")).GetProperty("text").GetString().Should().Be("hello schema");
        await using var check = h.Services.CreateAsyncScope();
        var stored = check.ServiceProvider.GetRequiredService<CoordinatorDbContext>();
        (await stored.Executions.AsNoTracking().SingleAsync(e => e.CorrelationId == id)).CurrentState.Should().Be("Succeeded");
        (await stored.NodeOutputs.AnyAsync(o => o.ExecutionId == id && o.NodeId == "greet")).Should().BeTrue("outputs are rows of the migrated table");
    }
}

public sealed class PostgresMigrationTests(PostgresCoordinatorDatabase database)
    : MigrationTests<PostgresCoordinatorDatabase, PostgresCoordinatorDbContext>(database);

public sealed class SqliteMigrationTests(SqliteCoordinatorDatabase database)
    : MigrationTests<SqliteCoordinatorDatabase, SqliteCoordinatorDbContext>(database);
