using System.Globalization;
using Workflow.Messaging.Bench.Measurement;

namespace Workflow.Messaging.Bench.Report;

/// <summary>The one table a run prints: a row per metric, a column per measured run.</summary>
internal static class ResultTable
{
    public static void Write(TextWriter output, IReadOnlyList<BenchResult> results)
    {
        var rows = new List<(string Metric, Func<BenchResult, string> Value)>
        {
            ("run", r => r.Label),
            ("mode / workers / concurrency", r => $"{r.Mode} / {r.Workers} / {r.Concurrency}"),
            ("executions (succeeded, other, unfinished)", r => $"{r.Executions} ({r.Succeeded}, {r.NotSucceeded}, {r.Unfinished})"),
            ("reported twice", r => N(r.ReportedTwice)),
            ("wall time s", r => F(r.Seconds, 2)),
            ("executions/s", r => F(r.ExecutionsPerSecond, 1)),
            ("node executions/s", r => F(r.NodeExecutionsPerSecond, 1) + $" ({r.NodesPerExecution}/exec)"),
            ("start-to-finish ms p50/p95/p99", r => Latency(r.StartToFinishMs)),
            ("dispatch-to-start ms p50/p95/p99", r => Latency(r.DispatchToStartMs)),
            ("PostgreSQL transactions/node", r => F(r.PostgresTransactionsPerNode, 2)),
            ("broker messages/node", r => F(r.BrokerMessagesPerNode, 2)),
            ("in-process sends+publishes/node", r => F(r.InProcessMessagesPerNode, 2)),
            ("coordinator CPU s / peak MB", r => $"{F(r.CoordinatorCpuSeconds, 1)} / {F(r.CoordinatorPeakMb, 0)}"),
            ("workers CPU s / peak MB", r => $"{F(r.WorkersCpuSeconds, 1)} / {F(r.WorkersPeakMb, 0)}"),
            ("coordinator RSS MB by fifth of run", r => string.Join(" ", r.CoordinatorRssQuintilesMb.Select(v => F(v, 0)))),
            ("baseline PG commits/s | broker msgs/s", r => r.Baseline is { } b ? $"{F(b.PostgresCommitsPerSecond, 0)} | {F(b.BrokerMessagesPerSecond, 0)}" : "-"),
            ("ceiling node executions/s", r => F(r.Baseline?.NodeCeilingPerSecond, 0)),
            ("our node rate / ceiling", r => Percent(r.FractionOfCeiling)),
            ("baseline side by side: commits/s | msgs/s", r => r.Baseline is { } b ? $"{F(b.SharedCommitsPerSecond, 0)} | {F(b.SharedMessagesPerSecond, 0)}" : "-"),
            ("ceiling sharing one machine, node exec/s", r => F(r.Baseline?.NodeCeilingSharedPerSecond, 0)),
            ("our node rate / shared ceiling", r => Percent(r.FractionOfSharedCeiling)),
            ("machine", r => r.MachineLoad),
        };
        if (results.Any(r => r.HeldExecutions is not null))
        {
            rows.Add(("executions held waiting", r => F(r.HeldExecutions, 0)));
            rows.Add(("coordinator managed heap MB (held)", r => F(r.CoordinatorManagedHeapMb, 0)));
        }

        var width = rows.Max(r => r.Metric.Length);
        var columns = results.Select(r => rows.Max(row => row.Value(r).Length)).ToList();
        string Line(string metric, IEnumerable<string> values) =>
            "| " + metric.PadRight(width) + " | " + string.Join(" | ", values.Select((v, i) => v.PadRight(columns[i]))) + " |";
        output.WriteLine(Line(rows[0].Metric, results.Select(rows[0].Value)));
        output.WriteLine("|" + new string('-', width + 2) + "|" + string.Join("|", columns.Select(c => new string('-', c + 2))) + "|");
        foreach (var row in rows.Skip(1))
            output.WriteLine(Line(row.Metric, results.Select(row.Value)));
    }

    private static string Latency(LatencySummary s) => s.Count == 0 ? "-" : $"{F(s.P50, 1)} / {F(s.P95, 1)} / {F(s.P99, 1)}";

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(double? value, int decimals) => value is { } v ? v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "-";
    private static string Percent(double? fraction) => fraction is { } f ? f.ToString("P0", CultureInfo.InvariantCulture) : "-";
}
