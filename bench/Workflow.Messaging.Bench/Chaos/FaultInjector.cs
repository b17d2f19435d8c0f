using System.Diagnostics;
using Workflow.Messaging.Bench.Fleet;

namespace Workflow.Messaging.Bench.Chaos;

/// <summary>
/// Carries out a plan's faults while the load runs: worker kills on an interval, coordinator kills
/// and service restarts at fixed fractions of the load time so that they never overlap.
/// </summary>
/// <summary>One fault as it happened: a restart ends when the service answers again.</summary>
internal sealed record InjectedFault(string Name, long BeganAt, long EndedAt);

internal sealed class FaultInjector(ProcessFleet fleet, ChaosPlan plan, TextWriter log)
{
    private readonly Random _random = new(6);

    public int WorkerKills { get; private set; }
    public int CoordinatorKills { get; private set; }
    public int RabbitMqRestarts { get; private set; }
    public int PostgresRestarts { get; private set; }
    public int ConnectionDrops { get; private set; }

    /// <summary>Every fault with when it began and ended (Stopwatch timestamps), for recovery times.</summary>
    public List<InjectedFault> Injected { get; } = [];

    public async Task RunAsync(CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        var scheduled = new List<(double At, string Name, Func<Task> Fault)>();
        for (var i = 0; i < plan.CoordinatorKills; i++)
            scheduled.Add((0.2 + 0.4 * i, "kill coordinator", KillCoordinatorAsync));
        // Spread over the first third of the load, before the broker restart.
        for (var i = 0; i < plan.ConnectionDrops; i++)
            scheduled.Add((0.08 + 0.25 * i / Math.Max(1, plan.ConnectionDrops), "drop broker connections", DropConnectionsAsync));
        if (plan.RestartRabbitMq)
            scheduled.Add((0.4, "restart RabbitMQ", RestartRabbitMqAsync));
        if (plan.RestartPostgres)
            scheduled.Add((0.75, "restart PostgreSQL", RestartPostgresAsync));
        scheduled = [.. scheduled.OrderBy(s => s.At)];

        var nextWorkerKill = plan.WorkerKillInterval;
        while (watch.Elapsed < plan.LoadDuration && !cancellation.IsCancellationRequested)
        {
            var fraction = watch.Elapsed / plan.LoadDuration;
            if (scheduled.Count > 0 && scheduled[0].At <= fraction)
            {
                log.WriteLine($"chaos: {watch.Elapsed.TotalSeconds:F0}s {scheduled[0].Name}");
                await Timed(scheduled[0].Name, scheduled[0].Fault);
                scheduled.RemoveAt(0);
            }
            else if (nextWorkerKill is { } due && watch.Elapsed >= due && WorkerKills < plan.MaxWorkerKills)
            {
                await Timed("kill worker", () => KillWorkerAsync(cancellation));
                nextWorkerKill = watch.Elapsed + plan.WorkerKillInterval;
            }
            else
                await Task.Delay(200, cancellation);
        }
        // A fault the load time ran out before still happens: the plan promises each one. On a busy
        // machine the scheduled faults (a coordinator kill waits for its replacement to start) can
        // fill the whole load window, so a worker kill that never got its turn comes late too.
        foreach (var (_, name, fault) in scheduled)
        {
            log.WriteLine($"chaos: {watch.Elapsed.TotalSeconds:F0}s {name} (late)");
            await Timed(name, fault);
        }
        if (plan.WorkerKillInterval is not null && plan.MaxWorkerKills > 0 && WorkerKills == 0 && !cancellation.IsCancellationRequested)
        {
            log.WriteLine($"chaos: {watch.Elapsed.TotalSeconds:F0}s kill worker (late)");
            await Timed("kill worker", () => KillWorkerAsync(cancellation));
        }
    }

    private async Task Timed(string name, Func<Task> fault)
    {
        var began = Stopwatch.GetTimestamp();
        await fault();
        Injected.Add(new InjectedFault(name, began, Stopwatch.GetTimestamp()));
    }

    private async Task KillWorkerAsync(CancellationToken cancellation)
    {
        var live = fleet.WorkerProcesses.Where(w => !w.HasExited).ToList();
        if (live.Count == 0)
            return;
        var victim = live[_random.Next(live.Count)];
        var pid = victim.Pid;
        victim.Kill();
        await victim.WaitForExitAsync(cancellation);
        WorkerKills++;
        fleet.Forget(victim);
        var replacement = fleet.StartWorker();
        log.WriteLine($"chaos: SIGKILL worker pid {pid}, started pid {replacement.Pid}");
    }

    private async Task KillCoordinatorAsync()
    {
        var coordinator = fleet.CoordinatorProcess!;
        var pid = coordinator.Pid;
        coordinator.Kill();
        await coordinator.WaitForExitAsync(CancellationToken.None);
        coordinator.Dispose();
        CoordinatorKills++;
        var replacement = fleet.StartCoordinator();
        log.WriteLine($"chaos: SIGKILL coordinator pid {pid}, started pid {replacement.Pid}");
        await fleet.WaitForCoordinatorAsync(CancellationToken.None);
    }

    private async Task RestartRabbitMqAsync()
    {
        await ServiceControl.RestartRabbitMqAsync(log, CancellationToken.None);
        RabbitMqRestarts++;
    }

    private async Task DropConnectionsAsync()
    {
        await ServiceControl.DropConnectionsAsync(plan.VirtualHost, $"chaos drop {ConnectionDrops + 1}", log, CancellationToken.None);
        ConnectionDrops++;
    }

    private async Task RestartPostgresAsync()
    {
        await ServiceControl.RestartPostgresAsync(log, CancellationToken.None);
        PostgresRestarts++;
    }
}
