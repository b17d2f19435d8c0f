namespace Workflow.Messaging.Bench.Measurement;

/// <summary>Resident memory of the coordinator sampled once a second while a run lasts, to show whether it grows.</summary>
internal sealed class MemoryTrend : IAsyncDisposable
{
    private readonly List<(double Seconds, double RssMb)> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public MemoryTrend(Func<ProcessProbe?> coordinator)
    {
        _loop = Task.Run(async () =>
        {
            var started = DateTime.UtcNow;
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            do
            {
                if (coordinator()?.Read() is { } sample)
                    lock (_samples)
                        _samples.Add(((DateTime.UtcNow - started).TotalSeconds, sample.RssMb));
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        });
    }

    /// <summary>RSS averaged over each fifth of the run: flat memory shows as five similar numbers.</summary>
    public IReadOnlyList<double> Quintiles()
    {
        lock (_samples)
        {
            if (_samples.Count < 5)
                return _samples.Select(s => Math.Round(s.RssMb, 1)).ToList();
            var size = _samples.Count / 5;
            return Enumerable.Range(0, 5).Select(i => Math.Round(_samples.Skip(i * size).Take(size).Average(s => s.RssMb), 1)).ToList();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _loop; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
