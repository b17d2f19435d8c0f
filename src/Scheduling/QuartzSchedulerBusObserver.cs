using MassTransit;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Workflow.Messaging.Scheduling;

/// <summary>
/// Runs the Quartz scheduler inside the bus's lifetime: jobs fire only while the bus can send, and the scheduler
/// stops taking triggers before the bus stops.
/// </summary>
sealed class QuartzSchedulerBusObserver(ISchedulerFactory schedulerFactory, ILogger<QuartzSchedulerBusObserver> log) : IBusObserver
{
    IScheduler? _scheduler;

    public void PostCreate(IBus bus)
    {
    }

    public void CreateFaulted(Exception exception)
    {
    }

    // Creating the scheduler here provisions the job store before the endpoints deliver any schedule command.
    // Both steps need the job store's database, so they wait out an outage rather than fail the bus's start.
    public Task PreStart(IBus bus) =>
        StartupRetry.RunAsync("Creating the Quartz scheduler", async _ => _scheduler ??= await schedulerFactory.GetScheduler(), log,
            StartupRetry.DefaultRetryFor, CancellationToken.None);

    public async Task PostStart(IBus bus, Task<BusReady> busReady)
    {
        await busReady;
        await StartupRetry.RunAsync("Starting the Quartz scheduler", async _ =>
        {
            _scheduler ??= await schedulerFactory.GetScheduler();
            await _scheduler.Start();
        }, log, StartupRetry.DefaultRetryFor, CancellationToken.None);
    }

    public Task StartFaulted(IBus bus, Exception exception) => ShutDown();

    public async Task PreStop(IBus bus)
    {
        if (_scheduler is not null)
            await _scheduler.Standby();
    }

    public Task PostStop(IBus bus) => ShutDown();

    public Task StopFaulted(IBus bus, Exception exception) => ShutDown();

    async Task ShutDown()
    {
        if (_scheduler is null)
            return;
        await _scheduler.Shutdown(waitForJobsToComplete: true);
        _scheduler = null;
    }
}
