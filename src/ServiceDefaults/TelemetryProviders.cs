using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Workflow.Messaging.ServiceDefaults;

/// <summary>
/// The hosting glue OpenTelemetry.Extensions.Hosting would give us (it does not restore here):
/// providers built from options, registered as singletons so the container disposes (and so
/// flushes) them at shutdown, and created by <see cref="TelemetryStarter"/> before the bus starts.
/// </summary>
internal static class TelemetryProviders
{
    public static readonly string[] Sources = [WorkflowTelemetry.Name, WorkflowTelemetry.MassTransit, "Microsoft.AspNetCore"];
    public static readonly string[] Meters = [WorkflowTelemetry.Name, WorkflowTelemetry.MassTransit, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    public static TracerProvider BuildTracer(TelemetryOptions options, IHostEnvironment environment)
    {
        var builder = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => Describe(r, options, environment))
            .AddSource(Sources);
        if (options.OtlpEndpoint is { } endpoint)
            builder.AddOtlpExporter(o =>
            {
                Configure(o, options, endpoint, "traces");
                o.BatchExportProcessorOptions.ScheduledDelayMilliseconds = Milliseconds(options.BatchExportDelay);
            });
        return builder.Build();
    }

    public static MeterProvider BuildMeter(TelemetryOptions options, IHostEnvironment environment)
    {
        var builder = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => Describe(r, options, environment))
            .AddMeter(Meters)
            .AddPrometheusExporter();
        if (options.OtlpEndpoint is { } endpoint)
            builder.AddOtlpExporter((o, reader) =>
            {
                Configure(o, options, endpoint, "metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = Milliseconds(options.MetricExportInterval);
            });
        return builder.Build();
    }

    public static void Describe(ResourceBuilder resource, TelemetryOptions options, IHostEnvironment environment) =>
        resource.AddService(options.ServiceName ?? environment.ApplicationName, serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}");

    /// <summary>A programmatic endpoint is used as given, so the signal path is ours to append.</summary>
    public static void Configure(OtlpExporterOptions exporter, TelemetryOptions options, Uri endpoint, string signal)
    {
        exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = new Uri($"{endpoint.ToString().TrimEnd('/')}/v1/{signal}");
        if (!string.IsNullOrEmpty(options.SeqApiKey))
            exporter.Headers = $"X-Seq-ApiKey={options.SeqApiKey}";
    }

    public static int Milliseconds(TimeSpan value) => (int)Math.Clamp(value.TotalMilliseconds, 1, int.MaxValue);
}

/// <summary>Creates the providers at start, so listening begins before the first message is consumed.</summary>
internal sealed class TelemetryStarter(TracerProvider tracer, MeterProvider meter) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // The container disposes both after every hosted service stopped; flushing here as well
        // gets the last spans of the shutdown itself out while the exporters still have time.
        tracer.ForceFlush(2000);
        meter.ForceFlush(2000);
        return Task.CompletedTask;
    }
}
