using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Workflow.Messaging.Coordinator.Persistence;

namespace Workflow.Messaging.Coordinator.Tests.Persistence;

/// <summary>What a host does to the schema at start-up, from configuration alone.</summary>
public sealed class SchemaStartupTests
{
    [Theory]
    [InlineData("sqlite", null, null, SchemaMode.Migrate)]
    [InlineData("postgres", null, null, SchemaMode.None)]
    [InlineData("postgres", "migrate", null, SchemaMode.Migrate)]
    [InlineData("sqlite", "None", null, SchemaMode.None)]
    [InlineData("sqlite", "EnsureCreated", null, SchemaMode.EnsureCreated)]
    [InlineData("postgres", null, "true", SchemaMode.Migrate)]
    [InlineData("sqlite", null, "false", SchemaMode.None)]
    [InlineData("postgres", "None", "true", SchemaMode.None)]
    public void Schema_mode_follows_configuration_with_a_safe_default_per_provider(string provider, string? schema, string? createSchema, SchemaMode expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Persistence:Provider"] = provider,
            ["Persistence:Schema"] = schema,
            ["Persistence:CreateSchema"] = createSchema,
        }).Build();

        configuration.GetPersistenceOptions().EffectiveSchema.Should().Be(expected);
    }

    [Fact]
    public async Task When_postgres_has_no_schema_setting_then_start_up_leaves_the_database_untouched()
    {
        var migrations = await StartHostAndReadMigrationsAsync(schema: null);

        migrations.Applied.Should().BeEmpty("a production database changes only when its configuration says so");
        migrations.Known.Should().NotBeEmpty();
    }

    [Fact]
    public async Task When_postgres_schema_is_Migrate_then_start_up_applies_every_migration()
    {
        var migrations = await StartHostAndReadMigrationsAsync(schema: "Migrate");

        migrations.Applied.Should().Equal(migrations.Known);
    }

    private static async Task<(IReadOnlyList<string> Applied, IReadOnlyList<string> Known)> StartHostAndReadMigrationsAsync(string? schema)
    {
        var database = new PostgresCoordinatorDatabase();
        await database.InitializeAsync();
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Persistence:Provider"] = "postgres",
                ["Persistence:ConnectionString"] = database.Options.ConnectionString,
                ["Persistence:Schema"] = schema,
            });
            builder.Services.AddCoordinatorPersistence(builder.Configuration.GetPersistenceOptions());
            using var host = builder.Build();
            await host.StartAsync();
            await host.StopAsync();

            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CoordinatorDbContext>();
            return ((await db.Database.GetAppliedMigrationsAsync()).ToList(), db.Database.GetMigrations().ToList());
        }
        finally
        {
            await database.DisposeAsync();
        }
    }
}
