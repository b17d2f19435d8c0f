using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Workflow.Messaging.Persistence;

public enum SchemaCreation
{
    /// <summary>Apply the DbContext's EF Core migrations (production).</summary>
    Migrate,

    /// <summary>Create every table of the model if the database has none (development, tests).</summary>
    EnsureCreated,
}

public static class SchemaCreationExtensions
{
    /// <summary>
    /// Creates or migrates the schema of TDbContext (saga, inbox and outbox tables). Never called
    /// implicitly: the host calls it once at start-up, before the bus starts consuming.
    /// </summary>
    public static async Task InitializeWorkflowSchemaAsync<TDbContext>(this IServiceProvider services, SchemaCreation creation,
        CancellationToken cancellationToken = default)
        where TDbContext : DbContext
    {
        await using var scope = services.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var logger = scope.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger(typeof(SchemaCreationExtensions));

        logger?.LogInformation("Schema of {DbContext}: {Creation}", typeof(TDbContext).Name, creation);
        if (creation == SchemaCreation.Migrate)
            await dbContext.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        else
            await dbContext.Database.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
    }
}
