using System.Threading.Channels;
using Workflow.Messaging.Coordinator.Executions;
using Workflow.Messaging.Coordinator.ProgressWatch;

namespace Workflow.Messaging.Coordinator.Api.Progress;

/// <summary>One event of an execution's stream: the SSE event name, its JSON data, and whether it ends the stream.</summary>
public sealed record ExecutionStreamEvent(string Event, string Data, bool Final = false);

/// <summary>
/// Fans an execution's events out to the SSE streams open on it in this process. Each stream has
/// a bounded buffer that drops its oldest events, so a stalled client cannot grow memory.
/// Where the host has a feed, it is bound while any stream is open (see <see cref="ExecutionProgressFeed"/>);
/// where it has a marker, a watched execution's saga row is marked so that its steps publish progress
/// (see <see cref="ProgressPublishing.WhileWatched"/>).
/// </summary>
public sealed class ExecutionProgressHub(ExecutionProgressFeed? feed = null, ProgressWatchMarker? marker = null)
{
    private const int BufferPerStream = 1024;
    private readonly Dictionary<Guid, List<Channel<ExecutionStreamEvent>>> _streams = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// Subscribes to the execution's events, then reads its state with <paramref name="read"/>: the
    /// state and the stream together miss nothing. Null, with nothing left subscribed, when there is
    /// no such execution.
    /// </summary>
    public async Task<(Subscription Subscription, WorkflowExecutionState State)?> WatchAsync(Guid executionId,
        Func<CancellationToken, Task<WorkflowExecutionState?>> read, CancellationToken cancellationToken)
    {
        var subscription = await SubscribeAsync(executionId, cancellationToken);
        try
        {
            var state = await read(cancellationToken);
            if (state is not null && !subscription.Marked)
            {
                // Started after the subscription marked nothing: its steps publish from the mark on,
                // so the state is read again after it.
                await subscription.EnsureMarkedAsync(cancellationToken);
                state = await read(cancellationToken);
            }
            if (state is not null)
                return (subscription, state);
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
        subscription.Dispose();
        return null;
    }

    // Once this returns, events reach this instance (the feed is bound) and the execution's steps
    // publish them (its row is marked), unless the execution does not exist yet.
    private async Task<Subscription> SubscribeAsync(Guid executionId, CancellationToken cancellationToken)
    {
        if (feed is not null)
            await feed.AcquireAsync(cancellationToken);
        Subscription subscription;
        try
        {
            subscription = Subscribe(executionId);
        }
        catch
        {
            feed?.Release();
            throw;
        }
        try
        {
            await subscription.EnsureMarkedAsync(cancellationToken);
            return subscription;
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
    }

    /// <summary>The executions streams of this instance watch now (their marks are renewed).</summary>
    public IReadOnlyList<Guid> Watched()
    {
        lock (_lock)
            return [.. _streams.Keys];
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
        return new Subscription(this, executionId, channel, marker);
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

    public sealed class Subscription(ExecutionProgressHub hub, Guid executionId, Channel<ExecutionStreamEvent> channel, ProgressWatchMarker? marker)
        : IDisposable
    {
        public ChannelReader<ExecutionStreamEvent> Events => channel.Reader;

        /// <summary>Whether the execution's row carries this stream's mark (false while the execution did not exist).</summary>
        internal bool Marked { get; private set; }

        internal async Task EnsureMarkedAsync(CancellationToken cancellationToken)
        {
            if (!Marked)
                Marked = marker is null || await marker.MarkAsync(executionId, cancellationToken);
        }

        public void Dispose() => hub.Remove(executionId, channel);
    }
}
