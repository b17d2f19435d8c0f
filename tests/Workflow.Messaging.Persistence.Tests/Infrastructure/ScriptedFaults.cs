using Microsoft.EntityFrameworkCore;

namespace Workflow.Messaging.Persistence.Tests.Infrastructure;

public sealed class SimulatedCrashException(string message) : Exception(message);

/// <summary>Fails the next N calls at each hook, and records when the bus outbox tried to send.</summary>
public sealed class ScriptedFaults : IOutboxFaultInjection
{
    int _conflictsBeforeCommit;
    int _crashesBeforeCommit;
    int _crashesAfterCommit;
    int _busSendFailures;
    readonly List<DateTime> _busSendAttempts = [];

    public void ConflictBeforeCommit(int times) => Interlocked.Exchange(ref _conflictsBeforeCommit, times);

    public void CrashBeforeCommit(int times) => Interlocked.Exchange(ref _crashesBeforeCommit, times);

    public void CrashAfterCommit(int times) => Interlocked.Exchange(ref _crashesAfterCommit, times);

    public void FailBusSends(int times) => Interlocked.Exchange(ref _busSendFailures, times);

    public IReadOnlyList<DateTime> BusSendAttempts
    {
        get
        {
            lock (_busSendAttempts)
                return [.. _busSendAttempts];
        }
    }

    public Task BeforeConsumeCommit(Guid inboxMessageId, Guid consumerId)
    {
        if (Interlocked.Decrement(ref _conflictsBeforeCommit) >= 0)
            throw new DbUpdateConcurrencyException($"Another transaction updated the rows of {inboxMessageId}");
        if (Interlocked.Decrement(ref _crashesBeforeCommit) >= 0)
            throw new SimulatedCrashException($"Crash before commit of {inboxMessageId}");
        return Task.CompletedTask;
    }

    public Task AfterConsumeCommitted(Guid inboxMessageId, Guid consumerId)
    {
        if (Interlocked.Decrement(ref _crashesAfterCommit) >= 0)
            throw new SimulatedCrashException($"Crash after commit of {inboxMessageId}");
        return Task.CompletedTask;
    }

    public Task BeforeBusOutboxSend(Guid outboxId)
    {
        lock (_busSendAttempts)
            _busSendAttempts.Add(DateTime.UtcNow);

        if (Interlocked.Decrement(ref _busSendFailures) >= 0)
            throw new SimulatedCrashException($"Broker unavailable for outbox {outboxId}");
        return Task.CompletedTask;
    }
}
