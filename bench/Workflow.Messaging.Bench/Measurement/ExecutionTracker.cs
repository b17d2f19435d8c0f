using System.Collections.Concurrent;
using System.Diagnostics;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Bench.Measurement;

/// <summary>
/// Knows every execution the bench started and completes it when its terminal event arrives, so
/// the run waits on events, never on time. Counts what a correct engine must never do: report an
/// execution twice or finish one nobody started.
/// </summary>
internal sealed class ExecutionTracker
{
    private readonly ConcurrentDictionary<Guid, Pending> _pending = new();
    private readonly ConcurrentDictionary<Guid, ExecutionStatus> _finished = new();
    private readonly ConcurrentDictionary<ExecutionStatus, int> _statuses = new();
    private int _duplicates;
    private int _unknown;

    public LatencySamples StartToFinish { get; } = new();

    public int Duplicates => _duplicates;
    public int Unknown => _unknown;
    public int Outstanding => _pending.Count;
    public IReadOnlyDictionary<ExecutionStatus, int> Statuses => _statuses;
    public IReadOnlyDictionary<Guid, ExecutionStatus> Finished => _finished;

    /// <summary>Registers an execution before its start is published; the task ends with its terminal status.</summary>
    public Task<ExecutionStatus> Track(Guid executionId)
    {
        var pending = new Pending(Stopwatch.GetTimestamp());
        _pending[executionId] = pending;
        return pending.Completion.Task;
    }

    public void Record(ExecutionFinished finished)
    {
        if (_pending.TryRemove(finished.ExecutionId, out var pending))
        {
            _finished[finished.ExecutionId] = finished.Status;
            _statuses.AddOrUpdate(finished.Status, 1, (_, n) => n + 1);
            StartToFinish.Add(Stopwatch.GetElapsedTime(pending.StartedAt));
            pending.Completion.TrySetResult(finished.Status);
        }
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
    }

    private sealed record Pending(long StartedAt)
    {
        public TaskCompletionSource<ExecutionStatus> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
