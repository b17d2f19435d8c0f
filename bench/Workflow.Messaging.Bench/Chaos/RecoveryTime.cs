using System.Diagnostics;
using System.Globalization;

namespace Workflow.Messaging.Bench.Chaos;

/// <summary>
/// How long the fleet took to recover from each kind of fault: from the moment a fault began to the
/// first execution finishing after it (the fleet works again), and to the last execution it caught
/// in flight finishing (everything it touched is done). Worst case over the faults of a kind.
/// An in-flight execution's remaining work counts too, so this is an upper bound on the fault's share.
/// </summary>
internal sealed record RecoveryTime(string Fault, int Count, double? FirstFinishSeconds, double LastAffectedSeconds, int NeverFinished)
{
    public static IReadOnlyList<RecoveryTime> Measure(IEnumerable<InjectedFault> faults, IReadOnlyDictionary<Guid, (long StartedAt, long? FinishedAt)> spans)
    {
        var finishes = spans.Values.Where(s => s.FinishedAt is not null).Select(s => s.FinishedAt!.Value).Order().ToList();
        return faults.GroupBy(f => f.Name).Select(kind =>
        {
            double firstWorst = 0, lastWorst = 0;
            var neverFinished = 0;
            foreach (var fault in kind)
            {
                var first = finishes.FirstOrDefault(t => t > fault.BeganAt);
                firstWorst = Math.Max(firstWorst, first == 0 ? double.PositiveInfinity : Seconds(fault.BeganAt, first));
                var affected = spans.Values.Where(s => s.StartedAt < fault.BeganAt && (s.FinishedAt is null || s.FinishedAt > fault.BeganAt)).ToList();
                neverFinished += affected.Count(s => s.FinishedAt is null);
                var lastFinish = affected.Where(s => s.FinishedAt is not null).Select(s => s.FinishedAt!.Value).DefaultIfEmpty(fault.BeganAt).Max();
                lastWorst = Math.Max(lastWorst, Seconds(fault.BeganAt, lastFinish));
            }
            return new RecoveryTime(kind.Key, kind.Count(), double.IsInfinity(firstWorst) ? null : firstWorst, lastWorst, neverFinished);
        }).ToList();
    }

    public static void Write(IReadOnlyList<RecoveryTime> times, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("| fault | times | worst: first execution finished after it, s | worst: last execution it caught in flight finished, s | caught and never finished |");
        output.WriteLine("|---|---|---|---|---|");
        foreach (var t in times)
            output.WriteLine($"| {t.Fault} | {t.Count} | {F(t.FirstFinishSeconds)} | {F(t.LastAffectedSeconds)} | {t.NeverFinished} |");
    }

    private static double Seconds(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalSeconds;

    private static string F(double? seconds) => seconds is { } s ? s.ToString("F1", CultureInfo.InvariantCulture) : "never";
}
