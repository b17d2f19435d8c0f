namespace Workflow.Messaging.Bench.Chaos;

/// <summary><c>bench --chaos</c>: the full fault-injection run; exit code 0 only when every invariant held.</summary>
internal static class ChaosCommand
{
    public static async Task<int> RunAsync(BenchSettings settings, TextWriter output, CancellationToken cancellation)
    {
        var unknown = settings.Faults.Except(BenchSettings.AllFaults).ToList();
        if (unknown.Count > 0)
        {
            output.WriteLine($"Unknown faults: {string.Join(", ", unknown)}; use {string.Join(",", BenchSettings.AllFaults)}.");
            return 2;
        }
        var plan = settings.SmallChaos
            ? ChaosPlan.Small
            : new ChaosPlan
            {
                Executions = settings.Executions,
                Concurrency = settings.Concurrency,
                Workers = settings.Workers,
                LoadDuration = settings.ChaosDuration,
            };
        plan = plan with
        {
            WorkerKillInterval = settings.Faults.Contains("workers") ? plan.WorkerKillInterval : null,
            CoordinatorKills = settings.Faults.Contains("coordinator") ? plan.CoordinatorKills : 0,
            RestartRabbitMq = settings.Faults.Contains("rabbitmq"),
            RestartPostgres = settings.Faults.Contains("postgres"),
            ConnectionDrops = settings.Faults.Contains("connections") ? plan.ConnectionDrops : 0,
        };
        var report = await ChaosRun.RunAsync(plan, output, cancellation);
        output.WriteLine();
        report.Write(output);
        Directory.CreateDirectory(settings.ResultsDirectory);
        var path = Path.Combine(settings.ResultsDirectory, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-chaos.json");
        await File.WriteAllTextAsync(path, System.Text.Json.JsonSerializer.Serialize(report, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), cancellation);
        output.WriteLine($"results: {path}");
        return report.Violations.Count == 0 ? 0 : 1;
    }
}
