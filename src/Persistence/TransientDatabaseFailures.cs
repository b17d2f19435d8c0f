using MassTransit;
using Npgsql;

namespace Workflow.Messaging.Persistence;

/// <summary>
/// Failures that say "the database was briefly unreachable" (a restart, a dropped connection, a
/// failover): the message is worth running again once the server is back. Npgsql classifies
/// them (SQLSTATE classes 08, 53, 57P0x, and I/O and timeout errors below the driver).
/// </summary>
public static class TransientDatabaseFailures
{
    public static bool IsTransient(Exception exception)
    {
        for (Exception? current = exception; current != null; current = current.InnerException)
            if (current is NpgsqlException { IsTransient: true })
                return true;
        return false;
    }

    /// <summary>Add to a retry policy whose intervals outlast a database restart (seconds).</summary>
    public static IRetryConfigurator HandleTransientDatabaseFailures(this IRetryConfigurator configurator)
    {
        configurator.Handle<Exception>(IsTransient);
        return configurator;
    }
}
