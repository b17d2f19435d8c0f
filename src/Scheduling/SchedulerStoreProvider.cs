namespace Workflow.Messaging.Scheduling;

public enum SchedulerStoreProvider
{
    Postgres,
    Sqlite,

    /// <summary>Nothing survives a restart: for tests and throwaway runs only.</summary>
    Memory,
}
