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
    /// implicitly: the host calls it once at start-up, before the bus starts consuming. A database
    /// that is restarting or not up yet is waited for (up to <paramref name="retryFor"/>, 5 minutes by
    /// default) instead of failing the host's start (see StartupRetry).
    /// </summary>
    public static Task InitializeWorkflowSchemaAsync<TDbContext>(this IServiceProvider services, SchemaCreation creation,
        CancellationToken cancellationToken = default, TimeSpan? retryFor = null)
        where TDbContext : DbContext
    {
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(SchemaCreationExtensions));
        logger?.LogInformation("Schema of {DbContext}: {Creation}", typeof(TDbContext).Name, creation);
        return StartupRetry.RunAsync($"Schema step {creation} of {typeof(TDbContext).Name}", async cancellation =>
        {
            // A context of its own per attempt: a failed migration leaves its connection and state behind.
            await using var scope = services.CreateAsyncScope();
            var dbContext = scope.ServiceProvider.GetRequiredService<TDbContext>();
            if (creation == SchemaCreation.Migrate)
                await dbContext.Database.MigrateAsync(cancellation).ConfigureAwait(false);
            else
                await dbContext.Database.EnsureCreatedAsync(cancellation).ConfigureAwait(false);
        }, logger, retryFor ?? StartupRetry.DefaultRetryFor, cancellationToken);
    }
}
