using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace Workflow.Messaging.ServiceDefaults;

/// <summary>
/// For hosts without a web server (the worker): a small Kestrel listener on its own port that
/// serves <c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c> from the host's own health
/// checks and meter provider, so containers and Kubernetes probe workers like the coordinator.
/// </summary>
public static class HealthPort
{
    /// <summary>Listens on <paramref name="port"/> on every interface; does nothing when it is null or 0.</summary>
    public static IHostApplicationBuilder AddHealthPort(this IHostApplicationBuilder builder, int? port)
    {
        if (port is > 0)
            builder.Services.AddSingleton<IHostedService>(sp => new HealthPortServer(sp, port.Value));
        return builder;
    }

    private sealed class HealthPortServer(IServiceProvider host, int port) : IHostedService, IAsyncDisposable
    {
        private WebApplication? _app;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://+:{port}");
            var app = builder.Build();
            var health = host.GetRequiredService<HealthCheckService>();
            app.MapGet("/health/live", () => Results.Text("Healthy"));
            app.MapGet("/health/ready", async (HttpContext context) =>
            {
                var report = await health.CheckHealthAsync(c => c.Tags.Contains(ServiceDefaultsExtensions.ReadyTag), context.RequestAborted);
                context.Response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
                await HealthReportWriter.WriteAsync(context, report);
            });
            if (host.GetService<MeterProvider>() is { } meters)
                app.MapPrometheusScrapingEndpoint("/metrics", meters, null, null);
            await app.StartAsync(cancellationToken);
            _app = app;
        }

        public Task StopAsync(CancellationToken cancellationToken) => _app?.StopAsync(cancellationToken) ?? Task.CompletedTask;

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
                await _app.DisposeAsync();
        }
    }
}
