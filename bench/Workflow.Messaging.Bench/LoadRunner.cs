using System.Diagnostics;
using MassTransit;
using Workflow.Messaging.Bench.Fleet;
using Workflow.Messaging.Bench.Measurement;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Bench;

/// <summary>
/// Starts executions with at most C in flight and waits for their terminal events; every number it
/// reports is taken from the events and counters of the measured window only (warm-up excluded).
/// </summary>
internal sealed class LoadRunner(IBenchFleet fleet, BenchProbes probes, TextWriter log)
{
    public async Task<BenchResult> RunAsync(BenchWorkflow workflow, BenchSettings settings, CancellationToken cancellation)
    {
        if (settings.Warmup > 0)
        {
            log.WriteLine($"warm-up: {settings.Warmup} executions");
            await RunBatchAsync(workflow, settings.Warmup, settings.Concurrency, settings.Timeout, cancellation);
        }
        probes.Reset();

        var before = await SnapshotAsync(cancellation);
        await using var trend = new MemoryTrend(() => fleet.Coordinator);
        log.WriteLine($"measuring: {settings.Executions} executions of {workflow.Name}, {settings.Concurrency} in flight, {settings.Coordinators} coordinator(s), {settings.Workers} worker(s), {fleet.Mode}");
        var watch = Stopwatch.StartNew();
        var unfinished = await RunBatchAsync(workflow, settings.Executions, settings.Concurrency, settings.Timeout, cancellation);
        var seconds = watch.Elapsed.TotalSeconds;
        var after = await SnapshotAsync(cancellation);

        var nodes = (double)(settings.Executions - unfinished) * workflow.NodesPerExecution;
        var statuses = probes.Tracker.Statuses;
        var succeeded = statuses.GetValueOrDefault(ExecutionStatus.Succeeded);
        return new BenchResult
        {
            Label = settings.Label ?? workflow.Name,
            Mode = fleet.Mode,
            Workflow = workflow.Name,
            Executions = settings.Executions,
            Concurrency = settings.Concurrency,
            Workers = settings.Workers,
            NodesPerExecution = workflow.NodesPerExecution,
            Seconds = seconds,
            Succeeded = succeeded,
            NotSucceeded = statuses.Values.Sum() - succeeded,
            Unfinished = unfinished,
            ReportedTwice = probes.Tracker.Duplicates,
            StartToFinishMs = probes.Tracker.StartToFinish.Summarize(),
            DispatchToStartMs = probes.Dispatch.Samples.Summarize(),
            PostgresTransactionsPerNode = PerNode(before.Transactions, after.Transactions, nodes),
            BrokerMessagesPerNode = PerNode(before.Messages, after.Messages, nodes),
            InProcessMessagesPerNode = fleet is EmbeddedFleet && nodes > 0 ? (probes.Messages.Sent + probes.Messages.Published) / nodes : null,
            ConsumedPerExecution = fleet is EmbeddedFleet
                ? probes.Messages.ConsumedByType.ToDictionary(p => p.Key, p => Math.Round(p.Value / (double)settings.Executions, 2))
                : null,
            CoordinatorCpuSeconds = after.Coordinator.CpuSeconds - before.Coordinator.CpuSeconds,
            CoordinatorPeakMb = after.Coordinator.PeakMb,
            WorkersCpuSeconds = fleet.Workers.Count == 0 ? null : after.WorkersCpu - before.WorkersCpu,
            WorkersPeakMb = fleet.Workers.Count == 0 ? null : after.WorkersPeakMb,
            CoordinatorRssQuintilesMb = trend.Quintiles(),
            MachineLoad = MachineLoad.Describe(),
        };
    }

    /// <summary>Starts executions and returns how many had not finished when the time bound passed.</summary>
    public async Task<int> RunBatchAsync(BenchWorkflow workflow, int count, int concurrency, TimeSpan timeout, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        using var gate = new SemaphoreSlim(concurrency);
        var finished = new List<Task>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                await gate.WaitAsync(deadline.Token);
                var executionId = NewId.NextGuid();
                finished.Add(probes.Tracker.Track(executionId).ContinueWith(_ => gate.Release(), TaskScheduler.Default));
                await fleet.Bus.Publish(Start(workflow, executionId), deadline.Token);
            }
            await Task.WhenAll(finished).WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            log.WriteLine($"time bound of {timeout} passed with {probes.Tracker.Outstanding} executions unfinished: " +
                string.Join(", ", probes.Tracker.OutstandingIds.Take(10)));
        }
        return count - finished.Count(t => t.IsCompleted);
    }

    public static StartWorkflow Start(BenchWorkflow workflow, Guid executionId) => new()
    {
        ExecutionId = executionId,
        Definition = workflow.Definition,
        Input = workflow.Input,
        RequestedBy = "bench",
    };

    private async Task<Snapshot> SnapshotAsync(CancellationToken cancellation)
    {
        var workers = fleet.Workers.Select(w => w.Read()).OfType<ProcessSample>().ToList();
        var coordinators = fleet.Coordinators.Select(c => c.Read()).OfType<ProcessSample>().ToList();
        return new Snapshot(
            new ProcessSample(coordinators.Sum(c => c.CpuSeconds), coordinators.Count == 0 ? 0 : coordinators.Max(c => c.PeakMb), coordinators.Sum(c => c.RssMb)),
            workers.Sum(w => w.CpuSeconds),
            workers.Count == 0 ? 0 : workers.Max(w => w.PeakMb),
            await fleet.CommittedTransactionsAsync(cancellation),
            await fleet.PublishedMessagesAsync(cancellation));
    }

    private static double? PerNode(long? before, long? after, double nodes) =>
        before is { } b && after is { } a && nodes > 0 ? (a - b) / nodes : null;

    private sealed record Snapshot(ProcessSample Coordinator, double WorkersCpu, double WorkersPeakMb, long? Transactions, long? Messages);
}
