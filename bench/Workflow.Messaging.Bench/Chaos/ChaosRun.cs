using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Bench.Fleet;
using Workflow.Messaging.Bench.Measurement;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Bench.Chaos;

/// <summary>
/// Runs executions of the mixed workflow on the real fleet while the plan's faults happen, then
/// checks that nothing was lost or done twice. Bounded: load time plus drain limit.
/// </summary>
internal static class ChaosRun
{
    public static async Task<ChaosReport> RunAsync(ChaosPlan plan, TextWriter log, CancellationToken cancellation)
    {
        await using var recorder = await SideEffectRecorder.StartAsync(cancellation);
        var workflow = BenchWorkflows.Create("mixed", workerNodes: false, recorder.Url);
        var probes = new BenchProbes();
        var ledger = new ProgressLedger();
        await using var fleet = await ProcessFleet.StartAsync(new ProcessFleetOptions
        {
            VirtualHost = plan.VirtualHost,
            Database = plan.Database,
            Workers = plan.Workers,
            WatchDispatch = false,
            // The ledger counts node successes from the progress events (doubled ones are a failure).
            ReadsProgress = true,
            ConfigureBus = x =>
            {
                x.AddSingleton(ledger);
                x.AddConsumer<ProgressLedgerConsumer>();
            },
        }, probes, log, cancellation);

        var runStartedAt = Stopwatch.GetTimestamp();
        var injector = new FaultInjector(fleet, plan, log);
        var faults = injector.RunAsync(cancellation);
        var (started, finished) = await StartPacedAsync(fleet.Bus, workflow, plan, probes.Tracker, log, cancellation);
        await faults;
        log.WriteLine($"chaos: faults done at {Stopwatch.GetElapsedTime(runStartedAt).TotalSeconds:F0}s; waiting up to {plan.DrainLimit} for {probes.Tracker.Outstanding} unfinished executions");
        try
        {
            await Task.WhenAll(finished).WaitAsync(plan.DrainLimit, cancellation);
        }
        catch (TimeoutException)
        {
            log.WriteLine($"chaos: drain limit passed with {probes.Tracker.Outstanding} executions unfinished");
        }
        if (probes.Tracker.Outstanding > 0)
            await StuckExecutionReport.WriteAsync(fleet, probes.Tracker.OutstandingIds, log, cancellation);
        var errorQueues = await DescribeErrorQueuesAsync(fleet.Management, plan.VirtualHost, cancellation);
        return Check(plan, started, probes.Tracker, ledger, recorder, injector, fleet.RestartsAfterExit, errorQueues, runStartedAt);
    }

    private static readonly TimeSpan PublishAttemptLimit = TimeSpan.FromSeconds(10);

    // Starts spread evenly over most of the load time, never more than the plan's concurrency in flight.
    private static async Task<(int Started, List<Task> Finished)> StartPacedAsync(IBus bus, BenchWorkflow workflow, ChaosPlan plan,
        ExecutionTracker tracker, TextWriter log, CancellationToken cancellation)
    {
        var spacing = plan.LoadDuration * 0.8 / plan.Executions;
        var gate = new SemaphoreSlim(plan.Concurrency);
        var finished = new List<Task>(plan.Executions);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < plan.Executions; i++)
        {
            var due = spacing * i - watch.Elapsed;
            if (due > TimeSpan.Zero)
                await Task.Delay(due, cancellation);
            // Executions that never end hold their slots: stop starting rather than wait past the
            // drain limit, so the run still ends in a report that says what is stuck.
            if (!await gate.WaitAsync(plan.DrainLimit, cancellation))
            {
                log.WriteLine($"chaos: no start slot freed within {plan.DrainLimit}; {tracker.Outstanding} executions unfinished, {plan.Executions - i} not started");
                break;
            }
            var executionId = NewId.NextGuid();
            finished.Add(tracker.Track(executionId).ContinueWith(_ => gate.Release(), TaskScheduler.Default));
            await PublishWithRetryAsync(token => bus.Publish(LoadRunner.Start(workflow, executionId), token), log, cancellation);
        }
        return (finished.Count, finished);
    }

    // A start published while the broker restarts fails, or waits on a confirm that never comes
    // (hence the bound per attempt); the execution id makes the retry idempotent.
    private static async Task PublishWithRetryAsync(Func<CancellationToken, Task> publish, TextWriter log, CancellationToken cancellation)
    {
        for (var delay = TimeSpan.FromMilliseconds(100); ; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks)))
        {
            try
            {
                await BoundedSend.Within(PublishAttemptLimit, publish, cancellation);
                return;
            }
            catch (Exception e) when (!cancellation.IsCancellationRequested)
            {
                log.WriteLine($"chaos: start not published ({e.GetType().Name}); retrying in {delay.TotalMilliseconds}ms");
                await Task.Delay(delay, cancellation);
            }
        }
    }

    private static ChaosReport Check(ChaosPlan plan, int started, ExecutionTracker tracker, ProgressLedger ledger, SideEffectRecorder recorder,
        FaultInjector injector, int restartsAfterExit, IReadOnlyList<string> errorQueues, long runStartedAt)
    {
        var succeeded = tracker.Finished.Where(f => f.Value == ExecutionStatus.Succeeded).Select(f => f.Key).ToList();
        var applied = recorder.AppliedPerExecution
            .Select(p => Guid.TryParse(p.Key, out var id) ? id : Guid.Empty)
            .ToHashSet();
        var withoutEffect = succeeded.Count(id => !applied.Contains(id));
        var doubled = ledger.Successes.Count(s => s.Value > 1);

        var violations = new List<string>();
        if (started < plan.Executions)
            violations.Add($"{plan.Executions - started} executions were never started");
        if (tracker.Outstanding > 0)
            violations.Add($"{tracker.Outstanding} executions did not reach a terminal state");
        if (tracker.Duplicates > 0)
            violations.Add($"{tracker.Duplicates} terminal events repeated an execution's end");
        if (tracker.Unknown > 0)
            violations.Add($"{tracker.Unknown} terminal events for executions nobody started");
        if (doubled > 0)
            violations.Add($"{doubled} node instances recorded more than one success");
        if (withoutEffect > 0)
            violations.Add($"{withoutEffect} succeeded executions have no applied side effect");
        if (recorder.WithoutKey > 0)
            violations.Add($"{recorder.WithoutKey} side-effect requests came without an Idempotency-Key");
        if (errorQueues.Count > 0)
            violations.Add($"{errorQueues.Count} error queues hold messages");

        return new ChaosReport
        {
            Executions = plan.Executions,
            Started = started,
            Terminal = tracker.Finished.Count,
            Succeeded = succeeded.Count,
            Unfinished = tracker.Outstanding,
            ReportedTwice = tracker.Duplicates,
            RedeliveredTerminalEvents = tracker.Redelivered,
            NodeSuccessesRecorded = ledger.Successes.Values.Sum(),
            NodesWithMoreThanOneSuccess = doubled,
            RedeliveredProgressEvents = ledger.RedeliveredEvents,
            SideEffectDeliveries = recorder.Deliveries,
            SideEffectsApplied = recorder.Applied,
            SideEffectRepeatsDeduplicated = recorder.Deliveries - recorder.Applied,
            SucceededWithoutSideEffect = withoutEffect,
            WorkerKills = injector.WorkerKills,
            CoordinatorKills = injector.CoordinatorKills,
            RabbitMqRestarts = injector.RabbitMqRestarts,
            PostgresRestarts = injector.PostgresRestarts,
            ConnectionDrops = injector.ConnectionDrops,
            RestartsAfterExit = restartsAfterExit,
            ErrorQueues = errorQueues,
            Seconds = Stopwatch.GetElapsedTime(runStartedAt).TotalSeconds,
            Violations = violations,
            Recovery = RecoveryTime.Measure(injector.Injected, tracker.Spans),
            Timeline = ChaosTimeline.Measure(runStartedAt, injector.Injected, tracker.Spans),
        };
    }

    /// <summary>Each non-empty error queue with its count and the message types and exceptions found in it.</summary>
    private static async Task<IReadOnlyList<string>> DescribeErrorQueuesAsync(RabbitManagement management, string virtualHost, CancellationToken cancellation)
    {
        var described = new List<string>();
        foreach (var queue in (await management.QueuesAsync(virtualHost, cancellation)).Where(q => q.Name.EndsWith("_error", StringComparison.Ordinal) && q.Messages > 0))
        {
            var reasons = (await management.PeekAsync(virtualHost, queue.Name, 5, cancellation)).Select(Reason).Distinct(StringComparer.Ordinal);
            described.Add($"{queue.Name}: {queue.Messages} ({string.Join(", ", reasons)})");
        }
        return described;
    }

    private static string Reason(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            var type = root.TryGetProperty("messageType", out var types) && types.GetArrayLength() > 0 ? types[0].GetString() : "?";
            var exception = root.TryGetProperty("headers", out var headers) && headers.TryGetProperty("MT-Fault-Message", out var fault) ? fault.GetString() : null;
            return exception is null ? $"{type}" : $"{type}: {exception}";
        }
        catch (JsonException)
        {
            return "unreadable message";
        }
    }
}
