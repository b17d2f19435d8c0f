using System.Diagnostics.Metrics;
using Workflow.Messaging.Coordinator.Admission.Pools;
using Workflow.Messaging.ServiceDefaults;

namespace Workflow.Messaging.Coordinator.Admission;

/// <summary>Admission's instruments on the shared meter: the queue, the slots per limit, and how long admitted executions waited.</summary>
internal static class AdmissionTelemetry
{
    private const string LimitTag = "workflow.limit";
    private const string PoolTag = "workflow.pool";
    private static volatile AdmissionSnapshot _observed = AdmissionSnapshot.Empty;
    private static volatile IReadOnlyDictionary<string, PoolReading> _pools = new Dictionary<string, PoolReading>();

    private static readonly Histogram<double> QueueWait =
        WorkflowTelemetry.Meter.CreateHistogram<double>("workflow.admission.queue_wait", "s", "Time queued executions and parked node attempts waited for their limits.");

    static AdmissionTelemetry()
    {
        WorkflowTelemetry.Meter.CreateObservableGauge("workflow.admission.queued", () => _observed.QueuedExecutions,
            "{execution}", "Executions waiting in Queued for a limit.");
        WorkflowTelemetry.Meter.CreateObservableGauge("workflow.admission.slots_in_use",
            () => _observed.SlotsInUse.Select(s => new Measurement<int>(s.Value, new KeyValuePair<string, object?>(LimitTag, s.Key))),
            "{slot}", "Slots held per limit.");
        WorkflowTelemetry.Meter.CreateObservableGauge("workflow.admission.pool_depth",
            () => _pools.Select(p => new Measurement<long>(p.Value.Depth, new KeyValuePair<string, object?>(PoolTag, p.Key))),
            "{message}", "Messages ready in each bounded pool's queue, as this coordinator last read them.");
    }

    public static void Admitted(string kind, TimeSpan waited) =>
        QueueWait.Record(Math.Max(0, waited.TotalSeconds), new KeyValuePair<string, object?>("workflow.admission.holder", kind));

    public static void Observe(AdmissionSnapshot snapshot) => _observed = snapshot;

    public static void ObservePools(IReadOnlyDictionary<string, PoolReading> readings) =>
        _pools = readings.ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
}
