namespace Workflow.Messaging.Bench.Measurement;

/// <summary>Resident memory of the coordinator sampled once a second while a run lasts, to show whether it grows.</summary>
internal sealed class MemoryTrend : IAsyncDisposable
{
    private readonly List<(double Seconds, double RssMb)> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public MemoryTrend(Func<ProcessProbe?> coordinator, TextWriter? log = null)
    {
        _loop = Task.Run(async () =>
        {
            var started = DateTime.UtcNow;
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            do
            {
                if (coordinator()?.Read() is { } sample)
                {
                    var seconds = (DateTime.UtcNow - started).TotalSeconds;
                    lock (_samples)
                        _samples.Add((seconds, sample.RssMb));
                    // A long run shows its trend as it goes, so a run cut short still tells it.
                    if (log is not null && _samples.Count % 30 == 0)
                        log.WriteLine($"memory: coordinator RSS {sample.RssMb:F0} MB after {seconds:F0}s");
                }
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
