using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Workflow.Messaging.Worker.Transport;

namespace Workflow.Messaging.Worker.Tests.Transport;

/// <summary>
/// The watchdog's decisions on a real host. The broker's view comes from a scripted probe here (the
/// real probe and a real dead consumer are in <see cref="ReceiveEndpointWatchdogOnRabbitMqTests"/>).
/// </summary>
[Collection(nameof(ExitCodeCollection))]
public class ReceiveEndpointWatchdogTests
{
    [Fact]
    public async Task When_the_broker_does_not_answer_then_the_bus_is_never_restarted()
    {
        var probe = new ScriptedProbe(_ => null);
        using var host = await StartHost(probe);
        var watchdog = host.Services.GetRequiredService<ReceiveEndpointWatchdog>();

        await probe.Asked(times: 20);

        watchdog.BusRestarts.Should().Be(0, "an unreachable broker is an outage MassTransit rides out, not a dead endpoint");
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested.Should().BeFalse();
    }

    [Fact]
    public async Task When_an_endpoint_stays_without_a_consumer_after_a_restart_then_the_process_stops_with_exit_code_75()
    {
        var probe = new ScriptedProbe(queue => new QueueReading(queue, true, 0, 5));
        using var host = await StartHost(probe);
        var watchdog = host.Services.GetRequiredService<ReceiveEndpointWatchdog>();
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        try
        {
            await Task.Delay(Timeout.Infinite, stopping).WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { });

            stopping.IsCancellationRequested.Should().BeTrue("a bus restart did not bring the consumer back, so the supervisor gets the process");
            watchdog.BusRestarts.Should().Be(1, "one restart first, then the process");
            Environment.ExitCode.Should().Be(ReceiveEndpointWatchdog.ExitCodeWhenDead);
        }
        finally
        {
            Environment.ExitCode = 0;
        }
    }

    [Fact]
    public async Task When_the_bus_does_not_stop_for_its_restart_then_the_process_stops_without_waiting_again()
    {
        // A bus whose stop never returns, whatever its token says: what a consume that ignores its
        // token does to MassTransit's stop (whether it does depends on timing, so the test does not
        // rely on one).
        var probe = new ScriptedProbe(queue => new QueueReading(queue, true, 0, 5));
        using var host = await StartHost(probe, restartTimeout: TimeSpan.FromSeconds(1), stopNeverReturns: true);
        var watchdog = host.Services.GetRequiredService<ReceiveEndpointWatchdog>();
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        try
        {
            await Task.Delay(Timeout.Infinite, stopping).WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { });

            stopping.IsCancellationRequested.Should().BeTrue();
            watchdog.StoppedBecause.Should().Contain("did not stop within", "the process stops when the stop gave up, not after another DeadAfter of the same dead endpoint");
            watchdog.BusRestarts.Should().Be(1);
            Environment.ExitCode.Should().Be(ReceiveEndpointWatchdog.ExitCodeWhenDead);
        }
        finally
        {
            Environment.ExitCode = 0;
        }
    }

    [Fact]
    public async Task When_the_consumer_is_back_within_the_bound_then_nothing_is_restarted()
    {
        var calls = 0;
        var probe = new ScriptedProbe(queue => new QueueReading(queue, true, Interlocked.Increment(ref calls) % 3 == 0 ? 1u : 0u, 1));
        using var host = await StartHost(probe, deadAfter: TimeSpan.FromSeconds(5));
        var watchdog = host.Services.GetRequiredService<ReceiveEndpointWatchdog>();

        await probe.Asked(times: 30);

        watchdog.BusRestarts.Should().Be(0, "the consumer was seen every third check, well within the bound");
    }

    private static async Task<IHost> StartHost(ScriptedProbe probe, TimeSpan? deadAfter = null, TimeSpan? restartTimeout = null, bool stopNeverReturns = false)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddMassTransit(x =>
        {
            x.AddConsumer<PingConsumer>().Endpoint(e => e.Name = "watchdog-ping");
            x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o => o.WaitUntilStarted = true);
        builder.Services.AddSingleton<IBrokerQueueProbe>(probe);
        builder.Services.AddReceiveEndpointWatchdog();
        if (stopNeverReturns)
            builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ReceiveEndpointWatchdog>(sp, StopNeverReturns.Wrap(sp.GetRequiredService<IBusControl>())));
        builder.Services.Configure<EndpointWatchdogOptions>(o =>
        {
            o.CheckInterval = TimeSpan.FromMilliseconds(50);
            o.DeadAfter = deadAfter ?? TimeSpan.FromMilliseconds(300);
            o.RestartTimeout = restartTimeout ?? TimeSpan.FromSeconds(20);
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private sealed class ScriptedProbe(Func<string, QueueReading?> read) : IBrokerQueueProbe
    {
        private int _asked;

        public Task<IReadOnlyList<QueueReading>?> ReadAsync(IReadOnlyCollection<string> queues, CancellationToken cancellation)
        {
            Interlocked.Increment(ref _asked);
            var readings = queues.Select(read).ToList();
            return Task.FromResult<IReadOnlyList<QueueReading>?>(readings.Any(r => r is null) ? null : readings.Select(r => r!.Value).ToList());
        }

        public async Task Asked(int times)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (Volatile.Read(ref _asked) < times)
                await Task.Delay(20, timeout.Token);
        }
    }
}

public sealed record WatchdogPing(Guid Id);

public sealed class PingConsumer(PingLog log) : IConsumer<WatchdogPing>
{
    public Task Consume(ConsumeContext<WatchdogPing> context)
    {
        log.Received.TrySetResult(context.Message.Id);
        return Task.CompletedTask;
    }
}

/// <summary>The watchdog's view of the bus: every call goes to the real bus, except a stop, which never returns.</summary>
public class StopNeverReturns : System.Reflection.DispatchProxy
{
    private IBusControl _bus = null!;

    public static IBusControl Wrap(IBusControl bus)
    {
        var proxy = Create<IBusControl, StopNeverReturns>();
        ((StopNeverReturns)(object)proxy)._bus = bus;
        return proxy;
    }

    protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args) =>
        targetMethod!.Name == nameof(IBusControl.StopAsync)
            ? new TaskCompletionSource().Task
            : targetMethod!.Invoke(_bus, args);
}

public sealed class PingLog
{
    public TaskCompletionSource<Guid> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>Tests that read or set the process exit code do not run side by side.</summary>
[CollectionDefinition(nameof(ExitCodeCollection), DisableParallelization = true)]
public sealed class ExitCodeCollection;
