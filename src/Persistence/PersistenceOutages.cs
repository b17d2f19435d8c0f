using MassTransit;

namespace Workflow.Messaging.Persistence;

/// <summary>
/// Which failures mean "the database was briefly unreachable; run the message again later":
/// a restart or failover closes connections (SQLSTATE class 08, 57P01-57P03) and Npgsql marks
/// such errors transient. Decided by SQLSTATE and Npgsql's own classification, never by text.
/// Without this a database restart sends every message in flight to the error queue and the
/// executions they belong to stop. A consume that committed but could not send its outbox
/// messages (<see cref="OutboxDeliveryException"/>) is an outage of the broker, healed the same way.
/// </summary>
public static class PersistenceOutages
{
    public static bool IsOutage(Exception exception) =>
        StartupRetry.IsDatabaseOutage(exception) || HasInner<OutboxDeliveryException>(exception);

    private static bool HasInner<T>(Exception exception)
    {
        for (Exception? current = exception; current != null; current = current.InnerException)
            if (current is T)
                return true;
        return false;
    }

    /// <summary>Retries conflicts and outages alike; give the retry intervals that span a database restart.</summary>
    public static IRetryConfigurator HandlePersistenceFailures(this IRetryConfigurator configurator)
    {
        configurator.Handle<Exception>(e => PersistenceConflicts.IsConflict(e) || IsOutage(e));
        return configurator;
    }
}
