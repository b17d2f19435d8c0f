using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Workflow.Messaging.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>Tag of the health checks behind <c>/health/ready</c>: the bus, the database, the scheduler.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Logs through Serilog (console, Seq when <c>Seq:ServerUrl</c> is set), traces and metrics
    /// over OTLP when <c>Telemetry:OtlpEndpoint</c> is set, and the health check service. Call it
    /// first, so telemetry listens before the bus starts.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.AddSerilogLogs();
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section);
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
}
