using System.Collections.Concurrent;

namespace Workflow.Messaging.Bench.Measurement;

/// <summary>Latency samples in milliseconds, collected from many threads and summarised once at the end.</summary>
internal sealed class LatencySamples
{
    private readonly ConcurrentQueue<double> _samples = new();

    public int Count => _samples.Count;

    public void Add(double milliseconds) => _samples.Enqueue(milliseconds);

    public void Add(TimeSpan elapsed) => Add(elapsed.TotalMilliseconds);

    public void Clear() => _samples.Clear();

    public LatencySummary Summarize()
    {
        var sorted = _samples.ToArray();
        Array.Sort(sorted);
        return sorted.Length == 0
            ? new LatencySummary(0, null, null, null, null)
            : new LatencySummary(sorted.Length, At(sorted, 0.50), At(sorted, 0.95), At(sorted, 0.99), sorted[^1]);
    }

    // Nearest-rank percentile: the smallest sample with at least p of all samples at or below it.
    private static double At(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

internal sealed record LatencySummary(int Count, double? P50, double? P95, double? P99, double? Max);
