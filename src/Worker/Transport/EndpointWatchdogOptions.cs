namespace Workflow.Messaging.Worker.Transport;

/// <summary>The <c>Transport:Watchdog</c> section: how long a receive endpoint may stay without a consumer.</summary>
public sealed class EndpointWatchdogOptions
{
    public const string Section = "Transport:Watchdog";

    public bool Enabled { get; set; } = true;

    /// <summary>How often the endpoints and their queues are looked at.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an endpoint may look dead (not ready in MassTransit, or its queue without a consumer)
    /// while the broker answers, before the bus is restarted. MassTransit reconnects within seconds after
    /// a broker restart or a dropped connection, so this is well above that; short enough that death,
    /// restart and, failing that, the process's exit stay within a minute.
    /// </summary>
    public TimeSpan DeadAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long one stop or one start of the bus may take when it is restarted (a healthy stop takes a few seconds).</summary>
    public TimeSpan RestartTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
