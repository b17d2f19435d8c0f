namespace Workflow.Messaging.Persistence;

public enum SagaConcurrencyMode
{
    /// <summary>
    /// The saga row is locked when loaded (PostgreSQL: SELECT ... FOR UPDATE under ReadCommitted),
    /// so events for one instance queue on the row instead of failing. Best under fan-in.
    /// </summary>
    Pessimistic,

    /// <summary>
    /// The row is read without a lock and the update checks a concurrency token (PostgreSQL: xmin,
    /// see <see cref="SagaMapExtensions.UseXminConcurrencyToken{TSaga}"/>); a conflict throws
    /// DbUpdateConcurrencyException, which the endpoint's retry must handle.
    /// </summary>
    Optimistic,
}
