using System.Threading.Channels;

namespace Workflow.Messaging.Coordinator.Api.Progress;

/// <summary>One event of an execution's stream: the SSE event name, its JSON data, and whether it ends the stream.</summary>
public sealed record ExecutionStreamEvent(string Event, string Data, bool Final = false);

/// <summary>
/// Fans an execution's events out to the SSE streams open on it in this process. Each stream has
/// a bounded buffer that drops its oldest events, so a stalled client cannot grow memory.
/// Where the host has a feed, it is bound while any stream is open (see <see cref="ExecutionProgressFeed"/>).
/// </summary>
public sealed class ExecutionProgressHub(ExecutionProgressFeed? feed = null)
{
    private const int BufferPerStream = 1024;
    private readonly Dictionary<Guid, List<Channel<ExecutionStreamEvent>>> _streams = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// Subscribes once events reach this instance: a caller that reads the execution's state after
    /// this returns misses nothing between that read and the stream.
    /// </summary>
    public async Task<Subscription> SubscribeAsync(Guid executionId, CancellationToken cancellationToken)
    {
        if (feed is not null)
            await feed.AcquireAsync(cancellationToken);
        try
        {
            return Subscribe(executionId);
        }
        catch
        {
            feed?.Release();
            throw;
        }
    }

    private Subscription Subscribe(Guid executionId)
    {
        var channel = Channel.CreateBounded<ExecutionStreamEvent>(new BoundedChannelOptions(BufferPerStream)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_lock)
        {
            if (!_streams.TryGetValue(executionId, out var list))
                _streams[executionId] = list = [];
            list.Add(channel);
        }
        return new Subscription(this, executionId, channel);
    }

    /// <summary>
    /// Hands the event to the streams open on the execution. Every instance hears every
    /// execution's events and almost none has a stream open, so the event is only built for one.
    /// </summary>
    public void Publish(Guid executionId, Func<ExecutionStreamEvent> createEvent)
    {
        Channel<ExecutionStreamEvent>[] targets;
        lock (_lock)
        {
            if (!_streams.TryGetValue(executionId, out var list))
                return;
            targets = [.. list];
        }
        var streamEvent = createEvent();
        foreach (var channel in targets)
            channel.Writer.TryWrite(streamEvent);
    }

    /// <summary>Streams open now; for tests that must not publish before a client listens.</summary>
    public int Count(Guid executionId)
    {
        lock (_lock)
            return _streams.TryGetValue(executionId, out var list) ? list.Count : 0;
    }

    private void Remove(Guid executionId, Channel<ExecutionStreamEvent> channel)
    {
        lock (_lock)
        {
            if (!_streams.TryGetValue(executionId, out var list) || !list.Remove(channel))
                return;
            if (list.Count == 0)
                _streams.Remove(executionId);
        }
        channel.Writer.TryComplete();
        feed?.Release();
    }

    public sealed class Subscription(ExecutionProgressHub hub, Guid executionId, Channel<ExecutionStreamEvent> channel) : IDisposable
    {
        public ChannelReader<ExecutionStreamEvent> Events => channel.Reader;

        public void Dispose() => hub.Remove(executionId, channel);
    }
}
