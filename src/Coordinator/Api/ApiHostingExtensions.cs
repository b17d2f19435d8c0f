using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Workflow.Messaging.Coordinator.Api.Progress;
using Workflow.Messaging.Coordinator.ProgressWatch;
using Workflow.Messaging.Coordinator.Hosting;
using Workflow.Messaging.Coordinator.Persistence;
using Workflow.Messaging.Coordinator.Queries;
using Workflow.Messaging.ServiceDefaults;

namespace Workflow.Messaging.Coordinator.Api;

public static class ApiHostingExtensions
{
    /// <summary>
    /// The HTTP API's services: options (section <c>Api</c>), execution queries and the unit of
    /// work matching the configured persistence (the saga table and the bus outbox's DbContext, or
    /// the in-memory saga repository), the database and scheduler readiness checks, the command publisher, the
    /// progress hub, Problem Details and the OpenAPI document.
    /// </summary>
    public static IHostApplicationBuilder AddCoordinatorApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section)
            .Validate(o => o.MaxRequestBodyBytes > 0 && o.MaxPageSize > 0, "Api:MaxRequestBodyBytes and Api:MaxPageSize must be positive.");
        if (builder.Configuration.GetPersistenceOptions().Provider == PersistenceProvider.Memory)
        {
            services.TryAddScoped<IExecutionQueries, SagaRepositoryExecutionQueries>();
            services.TryAddScoped<IUnitOfWork, NoUnitOfWork>();
        }
        else
        {
            services.TryAddScoped<IExecutionQueries, EfExecutionQueries>();
            services.TryAddScoped<IUnitOfWork, DbContextUnitOfWork>();
            services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ServiceDefaultsExtensions.ReadyTag]);
        }
        services.AddHealthChecks().AddCheck<SchedulerHealthCheck>("scheduler", tags: [ServiceDefaultsExtensions.ReadyTag]);
        services.TryAddScoped<ExecutionCommands>();
        services.TryAddSingleton<ExecutionProgressHub>();
        services.TryAddSingleton<ProgressWatchMarker>();
        services.AddHostedService<ProgressWatchRenewal>();
        services.TryAddSingleton<StartFingerprints>();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);
        services.AddOpenApi();
        return builder;
    }

    /// <summary>
    /// The consumer behind the SSE streams, on a temporary endpoint of this instance (a queue of
    /// its own that goes away with it) that <see cref="ExecutionProgressFeed"/> binds only while a
    /// stream is open here: then this instance hears every execution's events.
    /// </summary>
    public static IBusRegistrationConfigurator AddExecutionProgressFeed(this IBusRegistrationConfigurator x)
    {
        x.AddConsumer<ExecutionProgressConsumer>().ExcludeFromConfigureEndpoints();
        x.AddSingleton<ExecutionProgressFeed>();
        return x;
    }

    /// <summary>Error handling, the body size limit, <c>/api/definitions</c>, <c>/api/executions</c> behind the API key, and <c>/openapi/v1.json</c>.</summary>
    public static WebApplication MapCoordinatorApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiOptions>>().Value;
        if (options.RequireApiKey && !options.Keys.Any(k => k.Length > 0))
            app.Logger.LogWarning("Api:RequireApiKey is on and Api:Keys is empty: every /api call will be refused with 401. Configure Api__Keys__0.");
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseLoopbackGuard();
        app.UseApiRequestSizeLimit();
        app.MapOpenApi();
        app.MapDefinitionEndpoints().AddEndpointFilter<ApiKeyFilter>();
        app.MapExecutionEndpoints().AddEndpointFilter<ApiKeyFilter>();
        return app;
    }
}
