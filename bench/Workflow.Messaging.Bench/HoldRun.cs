using System.Diagnostics;
using Workflow.Messaging.Bench.Measurement;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Bench;

/// <summary>
/// Many executions waiting at once: starts N executions of the <c>wait</c> workflow (a 10-minute
/// timer), waits until every one is held, reads the coordinator's memory, then cancels them all
/// and waits for their terminal events.
/// </summary>
internal static class HoldRun
{
    public static async Task<BenchResult> RunAsync(BenchSettings settings, BenchWorkflow workflow, TextWriter log, CancellationToken cancellation)
    {
        var probes = new BenchProbes();
        await using var fleet = await BenchCommand.StartFleetAsync(settings, probes, watchHolds: true, log, cancellation);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(settings.Timeout);
        var before = fleet.Coordinator.Read();
        var ids = new List<Guid>(settings.Executions);
        var finished = new List<Task<ExecutionStatus>>(settings.Executions);
        await using var trend = new MemoryTrend(() => fleet.Coordinator);
        var watch = Stopwatch.StartNew();
        log.WriteLine($"holding: starting {settings.Executions} executions of a 10-minute wait, {settings.Concurrency} starts in flight");
        probes.Holds.Expect(settings.Executions);
        for (var i = 0; i < settings.Executions; i++)
        {
            // Starts are paced by holds, so at most C starts are unanswered at any time.
            while (ids.Count - probes.Holds.Held >= settings.Concurrency)
                await Task.WhenAny(probes.Holds.AllHeld, Task.Delay(5, deadline.Token));
            var id = Guid.NewGuid();
            ids.Add(id);
            finished.Add(probes.Tracker.Track(id));
            await fleet.Bus.Publish(LoadRunner.Start(workflow, id), deadline.Token);
        }
        await probes.Holds.AllHeld.WaitAsync(deadline.Token);
        var heldSeconds = watch.Elapsed.TotalSeconds;
        double? heap = null;
        if (settings.Embedded)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            heap = GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024.0);
        }
        var held = fleet.Coordinator.Read();
        log.WriteLine($"holding: {probes.Holds.Held} executions held after {heldSeconds:F1}s; coordinator RSS {held?.RssMb:F0} MB (before {before?.RssMb:F0} MB)");

        foreach (var id in ids)
            await fleet.Bus.Publish(new CancelExecution { ExecutionId = id, Reason = "bench hold run over", RequestedBy = "bench" }, deadline.Token);
        await Task.WhenAll(finished).WaitAsync(deadline.Token);

        return new BenchResult
        {
            Label = settings.Label ?? "wait",
            Mode = fleet.Mode,
            Workflow = workflow.Name,
            Executions = settings.Executions,
            Concurrency = settings.Concurrency,
            Workers = settings.Workers,
            NodesPerExecution = 1,
            Seconds = heldSeconds,
            Succeeded = probes.Tracker.Statuses.GetValueOrDefault(ExecutionStatus.Succeeded),
            NotSucceeded = probes.Tracker.Statuses.Values.Sum() - probes.Tracker.Statuses.GetValueOrDefault(ExecutionStatus.Succeeded),
            Unfinished = probes.Tracker.Outstanding,
            ReportedTwice = probes.Tracker.Duplicates,
            StartToFinishMs = new LatencySummary(0, null, null, null, null),
            DispatchToStartMs = new LatencySummary(0, null, null, null, null),
            CoordinatorCpuSeconds = (held?.CpuSeconds ?? 0) - (before?.CpuSeconds ?? 0),
            CoordinatorPeakMb = held?.PeakMb ?? 0,
            CoordinatorRssQuintilesMb = trend.Quintiles(),
            HeldExecutions = probes.Holds.Held,
            CoordinatorManagedHeapMb = heap,
            MachineLoad = MachineLoad.Describe(),
        };
    }
}
