using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace Workflow.Messaging.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>Tag of the health checks behind <c>/health/ready</c>: the bus, the database, the scheduler.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Logs through Serilog (console, Seq when <c>Seq:ServerUrl</c> is set), a bound on the start
    /// (<see cref="StartDeadline"/>), traces and metrics over OTLP when <c>Telemetry:OtlpEndpoint</c>
    /// is set, and the health check service. Call it first, so telemetry listens before the bus starts.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.AddSerilogLogs();
        // First of the hosted services, so the deadline runs while every other one starts.
        builder.AddStartDeadline();
        // The hosting package starts its providers with the first hosted service it registers here,
        // before the bus, so nothing the bus does at start goes unobserved.
        builder.AddOpenTelemetryDefaults();
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
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        return endpoints;
    }
}
