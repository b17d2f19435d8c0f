namespace Workflow.Messaging.ServiceDefaults;

/// <summary>Where telemetry goes, bound from the <c>Telemetry</c> section.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Resource service.name and the <c>Service</c> property of log events; the application name when empty.</summary>
    public string? ServiceName { get; set; }

    /// <summary>
    /// OTLP/HTTP base address of traces and metrics, e.g. <c>http://seq:5341/ingest/otlp</c>;
    /// <c>/v1/traces</c> and <c>/v1/metrics</c> are appended. Nothing is exported when empty.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>Sent as the <c>X-Seq-ApiKey</c> header when set.</summary>
    public string? SeqApiKey { get; set; }

    /// <summary>How often metrics are pushed over OTLP.</summary>
    public TimeSpan MetricExportInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Batch delay of spans (OTLP) and log events (Seq) before they are sent.</summary>
    public TimeSpan BatchExportDelay { get; set; } = TimeSpan.FromSeconds(2);
}
