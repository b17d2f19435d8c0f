using System.Diagnostics;
using System.Globalization;

namespace Workflow.Messaging.Bench.Chaos;

/// <summary>
/// The run in 10-second slices: executions started and finished, how long the ones that finished
/// took, and the faults that began in the slice. Tells a stall (slices with nothing finished)
/// from a backlog draining at the fleet's rate (steady finishes, rising durations), which the
/// recovery table alone cannot.
/// </summary>
internal sealed record ChaosTimeline(IReadOnlyList<ChaosTimeline.Slice> Slices, double DurationP50Seconds, double DurationP95Seconds, double DurationMaxSeconds)
{
    private static readonly TimeSpan SliceLength = TimeSpan.FromSeconds(10);

    internal sealed record Slice(int FromSecond, int Started, int Finished, double? FinishedP50Seconds, double? FinishedMaxSeconds, IReadOnlyList<string> Faults);

    public static ChaosTimeline Measure(long runStartedAt, IEnumerable<InjectedFault> faults, IReadOnlyDictionary<Guid, (long StartedAt, long? FinishedAt)> spans)
    {
        int SliceOf(long timestamp) => (int)(Stopwatch.GetElapsedTime(runStartedAt, timestamp) / SliceLength);
        double Seconds(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalSeconds;

        var finished = spans.Values.Where(s => s.FinishedAt is not null)
            .Select(s => (Slice: SliceOf(s.FinishedAt!.Value), Seconds: Seconds(s.StartedAt, s.FinishedAt!.Value))).ToList();
        var durations = finished.Select(f => f.Seconds).Order().ToList();
        var endedBySlice = finished.ToLookup(f => f.Slice, f => f.Seconds);
        var startedBySlice = spans.Values.ToLookup(s => SliceOf(s.StartedAt));
        var faultsBySlice = faults.ToLookup(f => SliceOf(f.BeganAt));
        var last = spans.Values.Select(s => SliceOf(s.FinishedAt ?? s.StartedAt)).Concat(faultsBySlice.Select(g => g.Key)).DefaultIfEmpty(0).Max();

        var slices = Enumerable.Range(0, last + 1).Select(i =>
        {
            var ended = endedBySlice[i].Order().ToList();
            return new Slice(
                i * (int)SliceLength.TotalSeconds,
                startedBySlice[i].Count(),
                ended.Count,
                ended.Count == 0 ? null : Percentile(ended, 0.5),
                ended.Count == 0 ? null : ended[^1],
                faultsBySlice[i].GroupBy(f => f.Name).Select(g => g.Count() == 1 ? g.Key : $"{g.Key} x{g.Count()}").ToList());
        }).ToList();
        return new ChaosTimeline(slices,
            durations.Count == 0 ? 0 : Percentile(durations, 0.5),
            durations.Count == 0 ? 0 : Percentile(durations, 0.95),
            durations.Count == 0 ? 0 : durations[^1]);
    }

    public void Write(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"execution start-to-finish: p50 {F(DurationP50Seconds)} s, p95 {F(DurationP95Seconds)} s, max {F(DurationMaxSeconds)} s");
        output.WriteLine();
        output.WriteLine("| from s | started | finished | finished: p50 / max duration s | faults that began |");
        output.WriteLine("|---|---|---|---|---|");
        foreach (var s in Slices)
            output.WriteLine($"| {s.FromSecond} | {s.Started} | {s.Finished} | {F(s.FinishedP50Seconds)} / {F(s.FinishedMaxSeconds)} | {string.Join(", ", s.Faults)} |");
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string F(double? seconds) => seconds is { } s ? s.ToString("F1", CultureInfo.InvariantCulture) : "-";
}
