namespace Workflow.Messaging.ServiceDefaults;

/// <summary>Traces and metrics: where they go and how many traces are kept, bound from the <c>Telemetry</c> section.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Resource service.name and the <c>Service</c> property of log events; the application name when empty.</summary>
    public string? ServiceName { get; set; }

    /// <summary>
    /// OTLP/HTTP base address of traces and metrics, e.g. <c>http://seq:5341/ingest/otlp</c>;
    /// <c>/v1/traces</c> and <c>/v1/metrics</c> are appended. Nothing is exported when empty
    /// (sampled spans still give log events their trace ids).
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>
    /// Share of new traces recorded (0 to 1). A span whose caller sent a trace context follows the
    /// caller's decision, so one execution's trace is kept or dropped whole across hosts.
    /// </summary>
    public double TraceSampleRatio { get; set; } = 1.0;

    /// <summary>How often metrics are pushed over OTLP.</summary>
    public TimeSpan MetricExportInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Batch delay of spans (OTLP) and log events (Seq) before they are sent.</summary>
    public TimeSpan BatchExportDelay { get; set; } = TimeSpan.FromSeconds(2);
}
