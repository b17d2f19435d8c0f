using MassTransit;
using Microsoft.EntityFrameworkCore;
using Workflow.Messaging.Coordinator.Definitions;
using Workflow.Messaging.Coordinator.Executions;
using Workflow.Messaging.Coordinator.Outputs;
using Workflow.Messaging.Persistence;

namespace Workflow.Messaging.Coordinator.Persistence;

public static class PersistenceHostingExtensions
{
    /// <summary>Reads the <c>Persistence</c> section; absent, it is the embedded SQLite default.</summary>
    public static PersistenceOptions GetPersistenceOptions(this IConfiguration configuration) =>
        configuration.GetSection(PersistenceOptions.Section).Get<PersistenceOptions>() ?? new PersistenceOptions();

    /// <summary>
    /// The coordinator's database: the DbContext and the EF stores of outputs and definitions.
    /// Called before the bus is added, so that schema creation (when asked for) runs before
    /// anything is consumed.
    /// </summary>
    public static IServiceCollection AddCoordinatorPersistence(this IServiceCollection services, PersistenceOptions options)
    {
        services.AddSingleton(options);
        if (options.Provider == PersistenceProvider.Memory)
            return services;

        services.AddDbContext<CoordinatorDbContext>(db =>
        {
            if (options.Provider == PersistenceProvider.Postgres)
                db.UseNpgsql(options.EffectiveConnectionString);
            else
                db.UseSqlite(options.EffectiveConnectionString);
        });
        services.AddScoped<IExecutionOutputStore, EfExecutionOutputStore>();
        services.AddScoped<IWorkflowDefinitionStore, EfWorkflowDefinitionStore>();
        if (options.EffectiveCreateSchema)
            services.AddHostedService<SchemaInitializer>();
        return services;
    }

    /// <summary>The saga repository and consumer/bus outbox matching the configured database.</summary>
    public static ISagaRegistrationConfigurator<WorkflowExecutionState> UseConfiguredRepository(
        this ISagaRegistrationConfigurator<WorkflowExecutionState> saga, IBusRegistrationConfigurator x, PersistenceOptions? options)
    {
        if (options is null || options.Provider == PersistenceProvider.Memory)
            return saga.InMemoryRepository();

        var dialect = options.Provider == PersistenceProvider.Postgres ? DatabaseDialect.Postgres : DatabaseDialect.Sqlite;
        x.AddWorkflowEntityFrameworkOutbox<CoordinatorDbContext>(o => o.Dialect = dialect);
        x.AddWorkflowBusOutbox<CoordinatorDbContext>();
        return saga.WorkflowEntityFrameworkRepository(r =>
        {
            r.ExistingDbContext<CoordinatorDbContext>();
            if (dialect == DatabaseDialect.Postgres)
                r.UsePostgres();
            else
                r.UseSqlite();
        });
    }

    /// <summary>The endpoint side of <see cref="UseConfiguredRepository"/>: the durable outbox, or the in-memory one.</summary>
    public static void UseConfiguredOutbox(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context, PersistenceOptions? options)
    {
        if (options is null || options.Provider == PersistenceProvider.Memory)
            endpoint.UseInMemoryOutbox(context);
        else
            endpoint.UseWorkflowEntityFrameworkOutbox<CoordinatorDbContext>(context);
    }

    /// <summary>Creates the tables when the database has none; only when Persistence:CreateSchema says so.</summary>
    private sealed class SchemaInitializer(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            services.InitializeWorkflowSchemaAsync<CoordinatorDbContext>(SchemaCreation.EnsureCreated, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
