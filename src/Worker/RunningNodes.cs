using Microsoft.Extensions.Options;

namespace Workflow.Messaging.Worker;

/// <summary>
/// The attempts this worker instance is running, by execution, so that a CancelRunningNodes can
/// cancel them. Cancelled executions are remembered for a while because a cancel can overtake an
/// ExecuteNode that is still queued.
/// </summary>
public sealed class RunningNodes(IOptions<WorkerOptions> options, TimeProvider time)
{
    // A plain lock: attempts start and end at message rate, and it makes "register, then look for an
    // earlier cancel" and "record a cancel, then collect the registered attempts" exclude each other.
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, HashSet<RunningAttempt>> _running = [];
    private readonly Dictionary<Guid, (DateTimeOffset At, string Reason)> _cancelled = [];

    public RunningAttempt Start(Guid executionId)
    {
        var attempt = new RunningAttempt(this, executionId);
        string? earlierCancel = null;
        lock (_gate)
        {
            if (!_running.TryGetValue(executionId, out var attempts))
                _running[executionId] = attempts = [];
            attempts.Add(attempt);
            if (_cancelled.TryGetValue(executionId, out var entry) && entry.At >= time.GetUtcNow() - options.Value.CancellationMemory)
                earlierCancel = entry.Reason;
        }
        if (earlierCancel is not null)
            attempt.Cancel(earlierCancel);
        return attempt;
    }

    /// <summary>Cancels every running attempt of the execution; returns how many there were.</summary>
    public int Cancel(Guid executionId, string reason)
    {
        List<RunningAttempt> attempts;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            foreach (var expired in _cancelled.Where(c => c.Value.At < now - options.Value.CancellationMemory).Select(c => c.Key).ToList())
                _cancelled.Remove(expired);
            _cancelled[executionId] = (now, reason);
            attempts = _running.TryGetValue(executionId, out var running) ? [.. running] : [];
        }
        // Outside the lock: cancellation callbacks may run the attempt's own completion inline.
        foreach (var attempt in attempts)
            attempt.Cancel(reason);
        return attempts.Count;
    }

    public int Count
    {
        get
        {
            lock (_gate)
                return _running.Values.Sum(a => a.Count);
        }
    }

    internal void Remove(RunningAttempt attempt)
    {
        lock (_gate)
        {
            if (_running.TryGetValue(attempt.ExecutionId, out var attempts) && attempts.Remove(attempt) && attempts.Count == 0)
                _running.Remove(attempt.ExecutionId);
        }
    }
}

/// <summary>One running attempt; disposing it unregisters it.</summary>
public sealed class RunningAttempt : IDisposable
{
    private readonly RunningNodes _owner;
    private readonly CancellationTokenSource _cancellation = new();

    internal RunningAttempt(RunningNodes owner, Guid executionId)
    {
        _owner = owner;
        ExecutionId = executionId;
    }

    public Guid ExecutionId { get; }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>Why the execution was cancelled, once it was.</summary>
    public string? CancelReason { get; private set; }

    internal void Cancel(string reason)
    {
        CancelReason ??= reason;
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The attempt finished while the cancel was on its way: nothing is left to stop.
        }
    }

    public void Dispose()
    {
        _owner.Remove(this);
        _cancellation.Dispose();
    }
}
