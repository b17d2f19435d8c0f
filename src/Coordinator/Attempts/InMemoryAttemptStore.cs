namespace Workflow.Messaging.Coordinator.Attempts;

/// <summary>
/// The attempt store of the Memory persistence provider (tests and throwaway runs): one process,
/// one coordinator, so a lock around a dictionary is all the coordination needed. It is lost with
/// the process, like everything else in that mode.
/// </summary>
public sealed class InMemoryAttemptStore : IAttemptStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<AttemptKey, NodeAttemptRow> _rows = [];

    public Task RecordAsync(IReadOnlyCollection<AttemptSignal> signals, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var signal in signals)
            {
                var row = Row(signal.Attempt, signal.SeenAt);
                row.WorkerId = signal.WorkerId;
                row.StartedAt ??= signal.StartedAt;
                if (signal.SeenAt > row.LastSeenAt)
                    row.LastSeenAt = signal.SeenAt;
            }
        }
        return Task.CompletedTask;
    }

    public Task EndAsync(AttemptKey attempt, DateTime now, CancellationToken cancellationToken)
    {
        lock (_gate)
            Row(attempt, now).EndedAt ??= now;
        return Task.CompletedTask;
    }

    public Task ForgetAsync(AttemptKey attempt, CancellationToken cancellationToken)
    {
        lock (_gate)
            _rows.Remove(attempt);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AttemptKey>> HeardFromSinceAsync(Guid executionId, DateTime since, CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<AttemptKey>>(_rows
                .Where(r => r.Key.ExecutionId == executionId && r.Value.EndedAt is null && r.Value.LastSeenAt >= since)
                .Select(r => r.Key)
                .ToList());
    }

    public Task<IReadOnlyList<SilentAttempt>> ClaimSilentAsync(DateTime silentSince, DateTime now, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var claimed = _rows
                .Where(r => r.Value.EndedAt is null && r.Value.LastSeenAt < silentSince && (r.Value.ReportedAt is null || r.Value.ReportedAt < silentSince))
                .OrderBy(r => r.Value.LastSeenAt)
                .Take(limit)
                .ToList();
            foreach (var (_, row) in claimed)
                row.ReportedAt = now;
            return Task.FromResult<IReadOnlyList<SilentAttempt>>(claimed.Select(r => new SilentAttempt(r.Key, r.Value.WorkerId, r.Value.LastSeenAt)).ToList());
        }
    }

    public Task<int> DeleteEndedAsync(DateTime endedBefore, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var ended = _rows.Where(r => r.Value.EndedAt < endedBefore).Select(r => r.Key).ToList();
            foreach (var key in ended)
                _rows.Remove(key);
            return Task.FromResult(ended.Count);
        }
    }

    private NodeAttemptRow Row(AttemptKey key, DateTime seenAt)
    {
        if (!_rows.TryGetValue(key, out var row))
            _rows[key] = row = new NodeAttemptRow
            {
                ExecutionId = key.ExecutionId,
                NodeId = key.NodeId,
                ItemIndex = key.ItemIndex ?? NodeAttemptRow.WholeNode,
                Attempt = key.Attempt,
                LastSeenAt = seenAt,
            };
        return row;
    }
}
