using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Workflow.Messaging.ServiceDefaults;

/// <summary>
/// Our ActivitySource and Meter ("Workflow.Messaging") and their instruments. Both hosts record
/// into the same static instruments; whichever providers a host builds pick them up by name.
/// </summary>
public static class WorkflowTelemetry
{
    public const string Name = "Workflow.Messaging";

    /// <summary>MassTransit 8 emits its own ActivitySource and Meter under this name.</summary>
    public const string MassTransit = "MassTransit";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    /// <summary>The workflow-id tag of the execution counters: the first 100 ids a process sees, then <see cref="BoundedTagValues.Other"/>.</summary>
    public static readonly BoundedTagValues WorkflowIds = new(100);

    public static readonly Counter<long> ExecutionsStarted =
        Meter.CreateCounter<long>("workflow.executions.started", "{execution}", "Executions admitted (and retried) by the coordinator.");

    public static readonly Counter<long> ExecutionsFinished =
        Meter.CreateCounter<long>("workflow.executions.finished", "{execution}", "Executions that ended, by status.");

    public static readonly UpDownCounter<long> ExecutionsActive =
        Meter.CreateUpDownCounter<long>("workflow.executions.active", "{execution}", "Executions running or paused.");

    public static readonly Counter<long> NodeAttempts =
        Meter.CreateCounter<long>("workflow.node.attempts", "{attempt}", "Node attempts run by workers, by node type and outcome.");

    public static readonly Counter<long> NodeRetries =
        Meter.CreateCounter<long>("workflow.node.retries", "{retry}", "Retries scheduled after a retryable failure.");

    public static readonly Counter<long> BusRestarts =
        Meter.CreateCounter<long>("workflow.transport.bus_restarts", "{restart}", "Bus restarts by the receive-endpoint watchdog (an endpoint stayed without a consumer).");

    public static readonly Histogram<double> NodeDuration =
        Meter.CreateHistogram<double>("workflow.node.duration", "s", "How long node attempts ran.");

    public static readonly Histogram<double> NodeQueueWait =
        Meter.CreateHistogram<double>("workflow.node.queue_wait", "s", "Time from dispatch by the coordinator to the start of the attempt on a worker.");
}
