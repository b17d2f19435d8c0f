using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Workflow.Messaging.Persistence.Tests.CounterSaga;

namespace Workflow.Messaging.Persistence.Tests;

/// <summary>Optimistic mode on PostgreSQL: the xmin token turns a lost update into a retryable conflict.</summary>
public sealed class PostgresXminConcurrencyTests : IAsyncLifetime
{
    static readonly string ConnectionString = LocalServices.Postgres;

    readonly string _schema = $"xmin_{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task When_two_transactions_update_the_same_saga_then_the_second_gets_a_retryable_conflict()
    {
        var counterId = NewId.NextGuid();
        await using (var setup = CreateDbContext())
        {
            setup.Add(new CounterState { CorrelationId = counterId, CurrentState = "Counting" });
            await setup.SaveChangesAsync();
        }

        await using var first = CreateDbContext();
        await using var second = CreateDbContext();
        var firstCopy = await first.Set<CounterState>().SingleAsync(x => x.CorrelationId == counterId);
        var secondCopy = await second.Set<CounterState>().SingleAsync(x => x.CorrelationId == counterId);
        firstCopy.Counter++;
        secondCopy.Counter++;
        await first.SaveChangesAsync();

        var lostUpdate = async () => await second.SaveChangesAsync();

        var conflict = await lostUpdate.Should().ThrowAsync<DbUpdateConcurrencyException>();
        PersistenceConflicts.IsConflict(conflict.Which).Should().BeTrue();
        await using var check = CreateDbContext();
        (await check.Set<CounterState>().SingleAsync(x => x.CorrelationId == counterId)).Counter.Should().Be(1);
    }

    public async Task InitializeAsync()
    {
        await Execute($"CREATE SCHEMA \"{_schema}\"");
        await using var dbContext = CreateDbContext();
        await dbContext.GetService<IRelationalDatabaseCreator>().CreateTablesAsync();
    }

    public Task DisposeAsync() => Execute($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE");

    XminDbContext CreateDbContext() => new(new DbContextOptionsBuilder<XminDbContext>()
        .UseNpgsql(ConnectionString)
        .ReplaceService<IModelCacheKeyFactory, XminModelCacheKeyFactory>()
        .Options, _schema);

    static async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    sealed class XminDbContext(DbContextOptions<XminDbContext> options, string schema) : DbContext(options)
    {
        public string Schema { get; } = schema;

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.HasDefaultSchema(Schema);
            modelBuilder.Entity<CounterState>().MapWorkflowSaga().UseXminConcurrencyToken();
        }
    }

    sealed class XminModelCacheKeyFactory : IModelCacheKeyFactory
    {
        public object Create(DbContext context, bool designTime) => (context.GetType(), ((XminDbContext)context).Schema, designTime);
    }
}
