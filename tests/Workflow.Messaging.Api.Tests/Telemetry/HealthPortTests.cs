using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Workflow.Messaging.ServiceDefaults;

namespace Workflow.Messaging.Api.Tests.Telemetry;

/// <summary>The worker's probes: a generic host with the service defaults serves health and metrics on its own port.</summary>
public sealed class HealthPortTests
{
    private sealed class SwitchableCheck : IHealthCheck
    {
        public bool Healthy { get; set; } = true;

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(Healthy ? HealthCheckResult.Healthy("broker reachable") : HealthCheckResult.Unhealthy("broker unreachable"));
    }

    [Fact]
    public async Task A_host_with_a_health_port_serves_live_ready_and_metrics_and_ready_follows_the_checks()
    {
        var port = FreePort();
        var check = new SwitchableCheck();
        var builder = Host.CreateApplicationBuilder();
        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks().AddCheck("broker", check, tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.AddHealthPort(port);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

            (await client.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
            var ready = await client.GetAsync("/health/ready");
            ready.StatusCode.Should().Be(HttpStatusCode.OK);
            (await ready.Content.ReadAsStringAsync()).Should().Contain("broker reachable");
            (await client.GetAsync("/metrics")).StatusCode.Should().Be(HttpStatusCode.OK);

            check.Healthy = false;
            var notReady = await client.GetAsync("/health/ready");
            notReady.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await notReady.Content.ReadAsStringAsync()).Should().Contain("broker unreachable");
            (await client.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK, "liveness runs no checks");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
