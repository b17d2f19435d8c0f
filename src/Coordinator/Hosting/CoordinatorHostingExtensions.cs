using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Workflow.Messaging.Coordinator.Admission;
using Workflow.Messaging.Coordinator.Attempts;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Workflow.Messaging.Coordinator.Definitions;
using Workflow.Messaging.Coordinator.Executions;
using Workflow.Messaging.Coordinator.Leases;
using Workflow.Messaging.Coordinator.Outputs;
using Workflow.Messaging.Coordinator.Persistence;
using Workflow.Messaging.Coordinator.ProgressWatch;
using Workflow.Messaging.Engine.Nodes;

namespace Workflow.Messaging.Coordinator.Hosting;

public static class CoordinatorHostingExtensions
{
    /// <summary>
    /// The coordinator host: options, stores, the execution saga and the bus, each chosen by
    /// configuration. <paramref name="configureBus"/> adds consumers of the host's own (the CLI's
    /// progress watcher).
    /// </summary>
    public static IHostApplicationBuilder AddCoordinator(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configureBus = null)
    {
        var persistence = builder.Configuration.GetPersistenceOptions();
        builder.Services.AddCoordinatorPersistence(persistence);
        builder.Services.AddCoordinatorServices();
        // The coordinator is the host that talks to PostgreSQL: its commands become spans (children
        // of the saga step that ran them) and its connection pool metrics join the others.
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddNpgsql())
            .ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddNpgsqlInstrumentation());
        builder.Services.AddMassTransit(x =>
        {
            // MassTransit 8.5 reports usage to masstransit.io unless told not to; a workflow engine
            // calls no address its operator did not configure. MASSTRANSIT_USAGE_TELEMETRY=true opts in.
            x.DisableUsageTelemetry();
            x.AddWorkflowExecutionSaga(persistence);
            x.AddAttemptTracking();
            x.AddAdmission();
            configureBus?.Invoke(x);
            x.AddCoordinatorTransport(builder.Configuration);
        });
        // Start-up waits until every receive endpoint is bound: the API publishes StartWorkflow to an
        // exchange, and RabbitMQ drops what it cannot route to a queue.
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(host => host.WaitUntilStarted = true);
        return builder;
    }

    /// <summary>Everything the saga needs besides the bus; component tests call this with the test harness.</summary>
    public static IServiceCollection AddCoordinatorServices(this IServiceCollection services)
    {
        services.AddOptions<CoordinatorOptions>().BindConfiguration(CoordinatorOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ExecutionGraphCache>();
        services.TryAddSingleton<FanOutItemsCache>();
        services.TryAddScoped<ExecutionServices>();
        services.TryAddSingleton<IExecutionOutputStore, InMemoryExecutionOutputStore>();
        services.TryAddSingleton<IWorkflowDefinitionStore, InMemoryWorkflowDefinitionStore>();
        services.TryAddSingleton<IAttemptStore, InMemoryAttemptStore>();
        // The Memory provider's executions are in the in-memory saga repository; a database registered its own.
        services.TryAddScoped<IDueLeaseChecks, SagaRepositoryDueLeaseChecks>();
        services.TryAddSingleton<IProgressWatchMarks, UnmarkedProgressWatches>();
        services.TryAddSingleton<IDefinitionValidator, CatalogDefinitionValidator>();
        services.AddAdmissionServices();
        // The coordinator runs inline nodes and validates node types, so it knows the built-ins too.
        services.AddBuiltInNodes();
        return services;
    }

    /// <summary>
    /// The execution saga with the repository of the configured database (in-memory without one),
    /// and the lease sweep that sends it its lease checks.
    /// </summary>
    public static ISagaRegistrationConfigurator<WorkflowExecutionState> AddWorkflowExecutionSaga(this IBusRegistrationConfigurator x,
        PersistenceOptions? persistence = null)
    {
        x.AddLeaseSweep();
        return x.AddSagaStateMachine<WorkflowExecutionStateMachine, WorkflowExecutionState, WorkflowExecutionStateDefinition>()
            .UseConfiguredRepository(x, persistence);
    }
}
