namespace Workflow.Messaging.Coordinator.Executions;

/// <summary>
/// Timer messages carry the time they were set for, and the saga acts only on the one it still
/// expects. PostgreSQL keeps timestamps to the microsecond while .NET has 100 ns ticks, so a time
/// read back from the saga row can be up to 0.9 µs before the one the message carries: compared
/// exactly, nine timers in ten were taken for stale and dropped (a lost node was never found, an
/// execution deadline never hit). Npgsql truncates, so both sides are truncated the same way.
/// </summary>
internal static class StoredTime
{
    public static bool Same(DateTime? stored, DateTime carried) =>
        stored is { } value && value.Ticks / TimeSpan.TicksPerMicrosecond == carried.Ticks / TimeSpan.TicksPerMicrosecond;
}
