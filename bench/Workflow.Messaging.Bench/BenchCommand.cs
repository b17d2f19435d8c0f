using System.Text.Json;
using System.Text.Json.Serialization;
using Workflow.Messaging.Bench.Baseline;
using Workflow.Messaging.Bench.Fleet;
using Workflow.Messaging.Bench.Measurement;
using Workflow.Messaging.Bench.Report;

namespace Workflow.Messaging.Bench;

/// <summary>The measuring mode: optional baseline, one run per worker count, one table, JSON and a chart.</summary>
internal static class BenchCommand
{
    private const string BenchVirtualHost = "workflow-bench";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static async Task<int> RunAsync(BenchSettings settings, TextWriter output, CancellationToken cancellation)
    {
        var workflow = BenchWorkflows.WithExecutionLimit(BenchWorkflows.Create(settings.Workflow, settings.WorkerNodes, nodeDelay: settings.NodeDelay), settings.MaxConcurrentExecutions);
        var baseline = settings.Baseline ? await MeasureBaselineAsync(output, cancellation) : null;

        var results = new List<BenchResult>();
        foreach (var workers in settings.SweepWorkers.Count > 0 ? settings.SweepWorkers : [settings.Workers])
        {
            var run = settings with { Workers = workers, Label = settings.Label ?? $"{workflow.Name} w{workers}" };
            var result = workflow.Name == "wait"
                ? await HoldRun.RunAsync(run, workflow, output, cancellation)
                : await MeasureAsync(run, workflow, output, cancellation);
            results.Add(result with { Baseline = baseline });
        }

        output.WriteLine();
        ResultTable.Write(output, results);
        Save(settings, workflow, results, output);
        return results.All(r => r.Unfinished == 0 && r.ReportedTwice == 0) ? 0 : 1;
    }

    private static async Task<BenchResult> MeasureAsync(BenchSettings settings, BenchWorkflow workflow, TextWriter output, CancellationToken cancellation)
    {
        var probes = new BenchProbes();
        await using var fleet = await StartFleetAsync(settings, probes, watchHolds: false, output, cancellation);
        return await new LoadRunner(fleet, probes, output).RunAsync(workflow, settings, cancellation);
    }

    public static async Task<IBenchFleet> StartFleetAsync(BenchSettings settings, BenchProbes probes, bool watchHolds, TextWriter output, CancellationToken cancellation)
    {
        if (settings.Embedded)
            return await EmbeddedFleet.StartAsync(settings.Workers, settings.Settings, probes, watchHolds, cancellation);
        return await ProcessFleet.StartAsync(new ProcessFleetOptions
        {
            VirtualHost = settings.FleetName,
            Database = settings.FleetName.Replace('-', '_'),
            Workers = settings.Workers,
            Coordinators = settings.Coordinators,
            Settings = settings.Settings,
            WatchHolds = watchHolds,
            WatchDispatch = settings.QueueWait,
        }, probes, output, cancellation);
    }

    private static async Task<BaselineResult> MeasureBaselineAsync(TextWriter output, CancellationToken cancellation)
    {
        output.WriteLine("baseline: PostgreSQL INSERT+COMMIT over 4 connections for 5s");
        var commits = await PostgresCommitRate.MeasureAsync(LocalServices.Postgres, connections: 4, TimeSpan.FromSeconds(5), cancellation);
        output.WriteLine("baseline: MassTransit publish-consume of 10,000 persistent messages on a durable queue with publisher confirms");
        using var management = new RabbitManagement();
        const string host = BenchVirtualHost + "-baseline";
        await management.RecreateVirtualHostAsync(host, cancellation);
        try
        {
            var messages = await BrokerRoundTripRate.MeasureAsync(host, messages: 10_000, inFlight: 256, cancellation);
            // A run needs both at once on the same cores: measure what the machine carries then.
            // The commits start once the bus has started, so the two overlap for the whole 5 s.
            output.WriteLine("baseline: both of the above side by side for 5s");
            var together = TimeSpan.FromSeconds(5);
            var publishing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var sharedMessages = BrokerRoundTripRate.MeasureAsync(host, messages: int.MaxValue, inFlight: 256, cancellation, together, publishing);
            await Task.WhenAny(publishing.Task, sharedMessages);
            var sharedCommits = await PostgresCommitRate.MeasureAsync(LocalServices.Postgres, connections: 4, together, cancellation);
            return new BaselineResult(commits, messages, sharedCommits, await sharedMessages);
        }
        finally
        {
            await management.DeleteVirtualHostAsync(host, CancellationToken.None);
        }
    }

    private static void Save(BenchSettings settings, BenchWorkflow workflow, IReadOnlyList<BenchResult> results, TextWriter output)
    {
        Directory.CreateDirectory(settings.ResultsDirectory);
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var name = $"{stamp}-{workflow.Name}-{(results[0].Mode.StartsWith("embedded", StringComparison.Ordinal) ? "embedded" : "fleet")}";
        var json = Path.Combine(settings.ResultsDirectory, name + ".json");
        File.WriteAllText(json, JsonSerializer.Serialize(new { settings = Describe(settings), results }, Json));
        output.WriteLine($"results: {json}");
        if (results.Count > 1)
        {
            var svg = Path.Combine(settings.ResultsDirectory, name + ".svg");
            File.WriteAllText(svg, ThroughputChart.Render($"{workflow.Name} ({results[0].Mode}): throughput by worker count", results));
            output.WriteLine($"chart: {svg}");
        }
    }

    private static object Describe(BenchSettings s) => new
    {
        s.Workflow, s.Executions, s.Concurrency, s.Workers, s.Coordinators, s.Embedded, s.WorkerNodes, s.Baseline, s.SweepWorkers, s.Warmup,
        s.MaxConcurrentExecutions,
        Timeout = s.Timeout.ToString(), s.Settings, commandLine = Environment.GetCommandLineArgs().Skip(1),
    };
}
