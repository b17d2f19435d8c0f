using MassTransit;
using Quartz;

namespace Workflow.Messaging.Scheduling;

/// <summary>
/// Runs the Quartz scheduler inside the bus's lifetime: jobs fire only while the bus can send, and the scheduler
/// stops taking triggers before the bus stops.
/// </summary>
sealed class QuartzSchedulerBusObserver(ISchedulerFactory schedulerFactory) : IBusObserver
{
    IScheduler? _scheduler;

    public void PostCreate(IBus bus)
    {
    }

    public void CreateFaulted(Exception exception)
    {
    }

    // Creating the scheduler here provisions the job store before the endpoints deliver any schedule command.
    public async Task PreStart(IBus bus) => _scheduler = await schedulerFactory.GetScheduler();

    public async Task PostStart(IBus bus, Task<BusReady> busReady)
    {
        await busReady;
        _scheduler ??= await schedulerFactory.GetScheduler();
        await _scheduler.Start();
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
