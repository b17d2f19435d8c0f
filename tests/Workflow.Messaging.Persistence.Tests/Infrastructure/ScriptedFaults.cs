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
    int _hangsAfterCommit;
    int _hangNextSend;
    int _hungSends;
    readonly List<DateTime> _busSendAttempts = [];

    public void ConflictBeforeCommit(int times) => Interlocked.Exchange(ref _conflictsBeforeCommit, times);

    public void CrashBeforeCommit(int times) => Interlocked.Exchange(ref _crashesBeforeCommit, times);

    public void CrashAfterCommit(int times) => Interlocked.Exchange(ref _crashesAfterCommit, times);

    public void FailBusSends(int times) => Interlocked.Exchange(ref _busSendFailures, times);

    /// <summary>The first send after the next N commits never completes, like a publisher confirm lost in a broker restart.</summary>
    public void HangSendAfterCommit(int times) => Interlocked.Exchange(ref _hangsAfterCommit, times);

    public int HungSends => Volatile.Read(ref _hungSends);

    readonly TaskCompletionSource _releaseHungSends = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes only when the host stops, so a hung send does not outlive the test.</summary>
    public Task HungSendsReleased => _releaseHungSends.Task;

    public void ReleaseHungSends() => _releaseHungSends.TrySetResult();

    /// <summary>Called by <see cref="HangingSendFilter"/> for every send: true once per scheduled hang.</summary>
    public bool TakeHang()
    {
        if (Interlocked.Exchange(ref _hangNextSend, 0) == 0)
            return false;
        Interlocked.Increment(ref _hungSends);
        return true;
    }

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
        if (Interlocked.Decrement(ref _hangsAfterCommit) >= 0)
            Interlocked.Exchange(ref _hangNextSend, 1);
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
