using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Workflow.Messaging.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>Tag of the health checks behind <c>/health/ready</c>: the bus, the database, the scheduler.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Telemetry (traces, metrics, logs over OTLP when <c>Telemetry:OtlpEndpoint</c> is set),
    /// console logging with scopes, and the health check service. Call it first, so telemetry
    /// listens before the bus starts.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(TelemetryOptions.Section);
        var options = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        builder.Services.AddOptions<TelemetryOptions>().Bind(section);

        builder.Logging.ClearProviders();
        if (options.JsonConsole)
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        else
            builder.Logging.AddSimpleConsole(o =>
            {
                o.IncludeScopes = true;
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.UseUtcTimestamp = true;
            });
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeScopes = true;
            o.IncludeFormattedMessage = true;
            o.ParseStateValues = true;
            o.SetResourceBuilder(Resource(options, builder.Environment));
            if (options.OtlpEndpoint is { } endpoint)
                o.AddOtlpExporter((exporter, processor) =>
                {
                    TelemetryProviders.Configure(exporter, options, endpoint, "logs");
                    processor.BatchExportProcessorOptions.ScheduledDelayMilliseconds = TelemetryProviders.Milliseconds(options.BatchExportDelay);
                });
        });

        builder.Services.AddSingleton(sp => TelemetryProviders.BuildTracer(Options(sp), sp.GetRequiredService<IHostEnvironment>()));
        builder.Services.AddSingleton(sp => TelemetryProviders.BuildMeter(Options(sp), sp.GetRequiredService<IHostEnvironment>()));
        // Inserted first: hosted services start in registration order, and the bus is one of them.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, TelemetryStarter>());

        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c> (the process answers: no checks run), <c>/health/ready</c> (every check
    /// tagged <see cref="ReadyTag"/>: MassTransit tags its bus check so) and <c>/metrics</c> (Prometheus text).
    /// </summary>
    public static IEndpointRouteBuilder MapDefaultEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        endpoints.MapPrometheusScrapingEndpoint("/metrics", endpoints.ServiceProvider.GetRequiredService<MeterProvider>(), null, null);
        return endpoints;
    }

    private static TelemetryOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<TelemetryOptions>>().Value;

    private static ResourceBuilder Resource(TelemetryOptions options, IHostEnvironment environment)
    {
        var resource = ResourceBuilder.CreateEmpty();
        TelemetryProviders.Describe(resource, options, environment);
        return resource;
    }
}
