namespace Workflow.Messaging.Persistence;

/// <summary>
/// Hooks where a test can make the process "crash" at the worst moment. Production registers the
/// no-op implementation; replace it in the container to inject failures.
/// </summary>
public interface IOutboxFaultInjection
{
    /// <summary>The consumer ran and every row is written, but the consume transaction is not committed yet.</summary>
    Task BeforeConsumeCommit(Guid inboxMessageId, Guid consumerId);

    /// <summary>The consume transaction committed; none of its outbox rows has been sent.</summary>
    Task AfterConsumeCommitted(Guid inboxMessageId, Guid consumerId);

    /// <summary>The bus outbox delivery service is about to send the rows of one OutboxState.</summary>
    Task BeforeBusOutboxSend(Guid outboxId);
}

sealed class NoOutboxFaults : IOutboxFaultInjection
{
    public Task BeforeConsumeCommit(Guid inboxMessageId, Guid consumerId) => Task.CompletedTask;

    public Task AfterConsumeCommitted(Guid inboxMessageId, Guid consumerId) => Task.CompletedTask;

    public Task BeforeBusOutboxSend(Guid outboxId) => Task.CompletedTask;
}
