using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Persistence.Tests.CounterSaga;

namespace Workflow.Messaging.Persistence.Tests;

public class SchemaCreationTests
{
    [Fact]
    public async Task InitializeWorkflowSchemaAsync_EmptyDatabase_CreatesSagaInboxAndOutboxTables()
    {
        var path = Path.Combine(Path.GetTempPath(), $"schema-{Guid.NewGuid():N}.db");
        var services = new ServiceCollection()
            .AddSingleton(new DatabaseSchema(null))
            .AddDbContext<CounterDbContext>(o => o.UseSqlite($"Data Source={path}"))
            .BuildServiceProvider();
        try
        {
            await services.InitializeWorkflowSchemaAsync<CounterDbContext>(SchemaCreation.EnsureCreated);

            await using var scope = services.CreateAsyncScope();
            var dbContext = scope.ServiceProvider.GetRequiredService<CounterDbContext>();
            var tables = await dbContext.Database
                .SqlQueryRaw<string>("SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table'")
                .ToListAsync();
            tables.Should().Contain(["Counters", "CounterIncrement", "InboxState", "OutboxState", "OutboxMessage"]);
        }
        finally
        {
            await services.DisposeAsync();
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }
}
