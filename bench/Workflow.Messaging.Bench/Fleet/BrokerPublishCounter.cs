using System.Text.Json;

namespace Workflow.Messaging.Bench.Fleet;

/// <summary>
/// Messages published into one virtual host. The management API's totals are kept per channel
/// and vanish when a channel closes, so the vhost total can even go down; this polls every
/// channel's own counter once a second and adds up what each one published while observed.
/// </summary>
internal sealed class BrokerPublishCounter : IAsyncDisposable
{
    private readonly Dictionary<string, (long First, long Last)> _channels = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private bool _started;

    public BrokerPublishCounter(RabbitManagement management, string virtualHost)
    {
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            do
            {
                try
                {
                    var counts = await management.ChannelPublishCountsAsync(virtualHost, _stop.Token);
                    lock (_channels)
                    {
                        foreach (var (name, published) in counts)
                            // A channel seen for the first time after the counter started began at zero.
                            _channels[name] = _channels.TryGetValue(name, out var known) ? (known.First, published) : (_started ? 0 : published, published);
                        _started = true;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !_stop.IsCancellationRequested)
                {
                    // The broker restarts during a chaos run; counting resumes when it answers.
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        });
    }

    public long Published
    {
        get
        {
            lock (_channels)
                return _channels.Values.Sum(c => c.Last - c.First);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _loop; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
