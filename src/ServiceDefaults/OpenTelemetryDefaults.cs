using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Workflow.Messaging.ServiceDefaults;

/// <summary>
/// Traces and metrics through OpenTelemetry's hosting package: our source and meter, MassTransit's
/// (whose send and receive spans carry the trace across the broker), ASP.NET Core, HttpClient and
/// the runtime. OTLP exporters exist only when <c>Telemetry:OtlpEndpoint</c> is set; /metrics
/// (Prometheus text) is always there.
/// </summary>
public static class OpenTelemetryDefaults
{
    public static IHostApplicationBuilder AddOpenTelemetryDefaults(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(TelemetryOptions.Section);
        var options = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        var seq = builder.Configuration.GetSection(SeqOptions.Section).Get<SeqOptions>() ?? new SeqOptions();
        builder.Services.AddOptions<TelemetryOptions>().Bind(section);

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(options.ServiceName ?? builder.Environment.ApplicationName,
                serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}"))
            .WithTracing(tracing =>
            {
                tracing.AddSource(WorkflowTelemetry.Name, WorkflowTelemetry.MassTransit)
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsProbe(http.Request.Path))
                    .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = request => !IsSeqIngestion(request, seq))
                    .SetSampler(Sampler(options));
                if (options.OtlpEndpoint is { } endpoint)
                    tracing.AddOtlpExporter(o =>
                    {
                        Configure(o, endpoint, "traces", seq.ApiKey);
                        o.BatchExportProcessorOptions.ScheduledDelayMilliseconds = Milliseconds(options.BatchExportDelay);
                    });
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(WorkflowTelemetry.Name, WorkflowTelemetry.MassTransit)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (options.OtlpEndpoint is { } endpoint)
                    metrics.AddOtlpExporter((o, reader) =>
                    {
                        Configure(o, endpoint, "metrics", seq.ApiKey);
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = Milliseconds(options.MetricExportInterval);
                    });
            });
        return builder;
    }

    /// <summary>
    /// New traces are kept at the configured ratio and the rest follow their parent, with or
    /// without an exporter: MassTransit carries a trace across the bus only for a sampled span
    /// (seen in SeqExportTests: with an always-off sampler the worker's events started a trace
    /// of their own), and logs of one execution should share a trace id across hosts.
    /// </summary>
    private static Sampler Sampler(TelemetryOptions options) =>
        new ParentBasedSampler(new TraceIdRatioBasedSampler(Math.Clamp(options.TraceSampleRatio, 0, 1)));

    /// <summary>A programmatic endpoint is used as given, so the signal path is ours to append.</summary>
    private static void Configure(OtlpExporterOptions exporter, Uri endpoint, string signal, string? seqApiKey)
    {
        exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = new Uri($"{endpoint.ToString().TrimEnd('/')}/v1/{signal}");
        if (!string.IsNullOrEmpty(seqApiKey))
            exporter.Headers = $"X-Seq-ApiKey={seqApiKey}";
    }

    // Probes every few seconds would be most of a quiet host's traces.
    private static bool IsProbe(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase);

    // The Seq sink's own posts would otherwise show up as spans of every host.
    private static bool IsSeqIngestion(HttpRequestMessage request, SeqOptions seq) =>
        seq.ServerUrl is { } server && request.RequestUri is { } uri
        && Uri.Compare(uri, server, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
        && uri.AbsolutePath.StartsWith("/ingest/", StringComparison.OrdinalIgnoreCase);

    private static int Milliseconds(TimeSpan value) => (int)Math.Clamp(value.TotalMilliseconds, 1, int.MaxValue);
}
