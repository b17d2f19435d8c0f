using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Workflow.Messaging.Coordinator.Admission;
using Workflow.Messaging.Coordinator.Attempts;
using Workflow.Messaging.Coordinator.Definitions;
using Workflow.Messaging.Coordinator.Executions;
using Workflow.Messaging.Coordinator.Partitions;
using Workflow.Messaging.Coordinator.Leases;
using Workflow.Messaging.Coordinator.Outputs;
using Workflow.Messaging.Coordinator.ProgressWatch;
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

        // Everything resolves CoordinatorDbContext; the provider subclass only decides which migrations apply.
        // Pooled: every saga step opens a scope, and building a DbContext with its services each time
        // showed in the coordinator's profile. A scope still gets one instance, which the saga
        // repository and the outbox share.
        if (options.Provider == PersistenceProvider.Postgres)
        {
            // The state cache learns of commits as the DbContext's interceptor; the saga repository finds it registered.
            services.AddSingleton(sp => ExecutionStateCache.Create(sp.GetService<IOptions<CoordinatorOptions>>()?.Value ?? new CoordinatorOptions()));
            services.AddDbContextPool<CoordinatorDbContext, PostgresCoordinatorDbContext>((sp, db) => db
                .UseNpgsql(PooledWithoutReset(options.EffectiveConnectionString))
                .AddInterceptors(sp.GetRequiredService<SagaRowCache<WorkflowExecutionState>>()));
        }
        else
            services.AddDbContextPool<CoordinatorDbContext, SqliteCoordinatorDbContext>(db => db.UseSqlite(options.EffectiveConnectionString));
        services.AddScoped<IExecutionOutputStore, EfExecutionOutputStore>();
        services.AddScoped<IWorkflowDefinitionStore, EfWorkflowDefinitionStore>();
        services.AddScoped<IAttemptStore, EfAttemptStore>();
        services.AddScoped<IAdmissionStore, EfAdmissionStore>();
        services.AddScoped<IDueLeaseChecks, EfDueLeaseChecks>();
        services.AddScoped<PartitionLeaseStore>();
        // Marks order against saga steps through the row lock, which SQLite does not take.
        if (options.Provider == PersistenceProvider.Postgres)
            services.AddScoped<IProgressWatchMarks, EfProgressWatchMarks>();
        if (options.EffectiveSchema != SchemaMode.None)
            services.AddHostedService<SchemaInitializer>();
        return services;
    }

    /// <summary>
    /// Npgsql sends DISCARD ALL whenever a pooled connection is returned: one more statement per
    /// unit of work, and measured as half the coordinator's commits. Nothing here leaves session
    /// state behind (no SET, temp tables or LISTEN), so it is off unless the connection string says
    /// otherwise.
    /// </summary>
    internal static string PooledWithoutReset(string connectionString)
    {
        // NpgsqlConnectionStringBuilder.ContainsKey answers for every keyword it knows; the plain
        // builder answers for what the string actually sets.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("No Reset On Close") || given.ContainsKey("NoResetOnClose"))
            return connectionString;
        return new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;
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
    public static void UseConfiguredOutbox(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context, PersistenceOptions? options,
        Func<Type, bool>? withoutInbox = null)
    {
        if (options is null || options.Provider == PersistenceProvider.Memory)
            endpoint.UseInMemoryOutbox(context);
        else
            endpoint.UseWorkflowEntityFrameworkOutbox<CoordinatorDbContext>(context, withoutInbox: withoutInbox);
    }

    /// <summary>
    /// Migrates or creates the schema as <see cref="PersistenceOptions.Schema"/> says; does nothing
    /// for <c>None</c> or without a database. Hosts run it through a hosted service registered
    /// before the bus; a host without hosted services (a test harness) calls it itself.
    /// </summary>
    public static Task InitializeCoordinatorSchemaAsync(this IServiceProvider services, PersistenceOptions options,
        CancellationToken cancellationToken = default) =>
        options.Provider == PersistenceProvider.Memory ? Task.CompletedTask : options.EffectiveSchema switch
        {
            SchemaMode.Migrate => services.InitializeWorkflowSchemaAsync<CoordinatorDbContext>(SchemaCreation.Migrate, cancellationToken),
            SchemaMode.EnsureCreated => services.InitializeWorkflowSchemaAsync<CoordinatorDbContext>(SchemaCreation.EnsureCreated, cancellationToken),
            _ => Task.CompletedTask,
        };

    private sealed class SchemaInitializer(IServiceProvider services, PersistenceOptions options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => services.InitializeCoordinatorSchemaAsync(options, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
