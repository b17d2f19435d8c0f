using System.Collections.Concurrent;
using System.Diagnostics;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Bench.Measurement;

/// <summary>
/// Knows every execution the bench started and completes it when its terminal event arrives, so
/// the run waits on events, never on time. Counts what a correct engine must never do: report an
/// execution twice (two terminal events with different message ids: two decisions) or finish one
/// nobody started. The same event delivered again (same message id, an outbox re-send after a
/// crash) is at-least-once delivery, counted apart.
/// </summary>
internal sealed class ExecutionTracker
{
    private readonly ConcurrentDictionary<Guid, Pending> _pending = new();
    private readonly ConcurrentDictionary<Guid, ExecutionStatus> _finished = new();
    private readonly ConcurrentDictionary<Guid, Guid?> _terminalMessageIds = new();
    private readonly ConcurrentDictionary<ExecutionStatus, int> _statuses = new();
    private readonly ConcurrentDictionary<Guid, (long StartedAt, long? FinishedAt)> _spans = new();
    private int _duplicates;
    private int _redelivered;
    private int _unknown;

    public LatencySamples StartToFinish { get; } = new();

    public int Duplicates => _duplicates;
    public int Redelivered => _redelivered;
    public int Unknown => _unknown;
    public int Outstanding => _pending.Count;
    public IReadOnlyCollection<Guid> OutstandingIds => [.. _pending.Keys];
    public IReadOnlyDictionary<ExecutionStatus, int> Statuses => _statuses;
    public IReadOnlyDictionary<Guid, ExecutionStatus> Finished => _finished;

    /// <summary>When each execution was started and when its terminal event arrived (Stopwatch timestamps; null: not yet).</summary>
    public IReadOnlyDictionary<Guid, (long StartedAt, long? FinishedAt)> Spans => _spans;

    /// <summary>Registers an execution before its start is published; the task ends with its terminal status.</summary>
    public Task<ExecutionStatus> Track(Guid executionId)
    {
        var pending = new Pending(Stopwatch.GetTimestamp());
        _pending[executionId] = pending;
        _spans[executionId] = (pending.StartedAt, null);
        return pending.Completion.Task;
    }

    public void Record(ExecutionFinished finished, Guid? messageId)
    {
        if (_pending.TryRemove(finished.ExecutionId, out var pending))
        {
            _terminalMessageIds[finished.ExecutionId] = messageId;
            _finished[finished.ExecutionId] = finished.Status;
            _statuses.AddOrUpdate(finished.Status, 1, (_, n) => n + 1);
            StartToFinish.Add(Stopwatch.GetElapsedTime(pending.StartedAt));
            _spans[finished.ExecutionId] = (pending.StartedAt, Stopwatch.GetTimestamp());
            pending.Completion.TrySetResult(finished.Status);
        }
        else if (_terminalMessageIds.TryGetValue(finished.ExecutionId, out var first) && first is not null && first == messageId)
            Interlocked.Increment(ref _redelivered);
        else if (_finished.ContainsKey(finished.ExecutionId))
            Interlocked.Increment(ref _duplicates);
        else
            Interlocked.Increment(ref _unknown);
    }

    /// <summary>Forgets the counts of a warm-up phase; executions still pending stay tracked.</summary>
    public void ResetCounts()
    {
        _statuses.Clear();
        StartToFinish.Clear();
        Interlocked.Exchange(ref _duplicates, 0);
        Interlocked.Exchange(ref _redelivered, 0);
    }

    private sealed record Pending(long StartedAt)
    {
        public TaskCompletionSource<ExecutionStatus> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
