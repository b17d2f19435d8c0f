using Quartz;

namespace Workflow.Messaging.Scheduling;

static class QuartzStoreConfiguration
{
    public static void ConfigureStore(this IQuartzBuilder quartz, SchedulerOptions options)
    {
        quartz.ConfigureScheduler(scheduler => scheduler.InstanceName = options.InstanceName);

        switch (options.Provider)
        {
            case SchedulerStoreProvider.Memory:
                RefuseClustering(options);
                quartz.UseInMemoryStore();
                return;
            case SchedulerStoreProvider.Postgres:
                quartz.UsePersistentStore(store =>
                {
                    store.UsePostgres(RequireConnectionString(options));
                    store.ConfigureCommon(options);
                    if (options.IsClustered)
                        store.UseClustering();
                });
                return;
            case SchedulerStoreProvider.Sqlite:
                // SQLite has no row locks to coordinate nodes with: it is the single-process embedded store.
                RefuseClustering(options);
                SQLitePCL.Batteries_V2.Init();
                quartz.UsePersistentStore(store =>
                {
                    store.UseSqlite(RequireConnectionString(options));
                    store.ConfigureCommon(options);
                });
                return;
            default:
                throw new InvalidOperationException($"Unknown scheduler store provider '{options.Provider}'.");
        }
    }

    static void ConfigureCommon(this IPersistentStoreBuilder store, SchedulerOptions options)
    {
        store.UseSystemTextJsonSerializer();
        store.ProvisionSchema();
        store.ConfigureStore(ado =>
        {
            ado.TablePrefix = options.TablePrefix;
            // Job data holds only strings: readable in the tables and immune to serializer changes.
            ado.StoreJobDataAsStrings = true;
        });
    }

    static void RefuseClustering(SchedulerOptions options)
    {
        if (options.IsClustered)
            throw new InvalidOperationException($"A {options.Provider} scheduler store cannot be clustered: leave Scheduler:Clustered unset or false.");
    }

    static string RequireConnectionString(SchedulerOptions options) =>
        string.IsNullOrWhiteSpace(options.ConnectionString)
            ? throw new InvalidOperationException($"Scheduler:ConnectionString is required for the {options.Provider} store.")
            : options.ConnectionString;
}
