using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MassTransit.Scheduling;
using Quartz;
using Workflow.Messaging.Scheduling.Cancellation;
using RabbitMQ.Client;

namespace Workflow.Messaging.Scheduling.Tests.Infrastructure;

/// <summary>
/// A host like the Coordinator's: a RabbitMQ bus that hosts the scheduler, plus a target queue whose consumers
/// record what arrives. Queue names are unique per test; disposing deletes them.
/// </summary>
public sealed class SchedulerTestHost : IAsyncDisposable
{
    readonly IHost _host;
    readonly string[] _queues;
    readonly ConsumedMessages _consumed = new();

    SchedulerTestHost(IHost host, SchedulerOptions options, string targetQueue)
    {
        _host = host;
        Options = options;
        TargetAddress = new Uri($"queue:{targetQueue}");
        _queues = [options.EndpointName, targetQueue];
        Bus.ConnectConsumeObserver(_consumed);
    }

    public SchedulerOptions Options { get; }
    public Uri TargetAddress { get; }
    public IServiceProvider Services => _host.Services;
    public IBus Bus => Services.GetRequiredService<IBus>();

    public static SchedulerOptions UniqueOptions(SchedulerStoreProvider provider, string? connectionString) => new()
    {
        Provider = provider,
        ConnectionString = connectionString,
        InstanceName = $"test-scheduler-{Guid.NewGuid():N}",
        EndpointName = $"test-scheduler-{Guid.NewGuid():N}",
        SendRetryInitialDelay = TimeSpan.FromMilliseconds(200),
        SendRetryMaxDelay = TimeSpan.FromSeconds(1),
    };

    public static async Task<SchedulerTestHost> Start(
        SchedulerOptions options,
        MessageRecorder recorder,
        string targetQueue,
        Action<IBusRegistrationConfigurator>? register = null,
        Action<IRabbitMqBusFactoryConfigurator>? configureBus = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(recorder);
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(host =>
        {
            host.WaitUntilStarted = true;
            host.StopTimeout = TimeSpan.FromSeconds(10);
        });
        builder.Services.AddMassTransit(x =>
        {
            x.AddWorkflowQuartzScheduler(options);
            x.AddConsumer<RecordingConsumer<ReminderDue>>().Endpoint(endpoint => endpoint.Name = targetQueue);
            x.AddConsumer<RecordingConsumer<Sentinel>>().Endpoint(endpoint => endpoint.Name = targetQueue);
            register?.Invoke(x);

            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(LocalServices.RabbitMqHost, LocalServices.RabbitMqPort, "/", host =>
                {
                    host.Username(LocalServices.RabbitMqUser);
                    host.Password(LocalServices.RabbitMqPassword);
                });
                cfg.UseWorkflowMessageScheduler(context);
                configureBus?.Invoke(cfg);
                cfg.ConfigureEndpoints(context);
            });
        });

        var host = builder.Build();
        await host.StartAsync();
        return new SchedulerTestHost(host, options, targetQueue);
    }

    public async Task<ScheduledMessage<T>> ScheduleSend<T>(DateTime scheduledTime, T message, Action<SendContext<T>>? configure = null)
        where T : class
    {
        using var scope = Services.CreateScope();
        var scheduler = scope.ServiceProvider.GetRequiredService<IMessageScheduler>();
        return await scheduler.ScheduleSend(TargetAddress, scheduledTime, message, Pipe.Execute<SendContext<T>>(context => configure?.Invoke(context)));
    }

    public async Task CancelScheduledSend(Guid tokenId)
    {
        using var scope = Services.CreateScope();
        var scheduler = scope.ServiceProvider.GetRequiredService<IMessageScheduler>();
        await scheduler.CancelScheduledSend(TargetAddress, tokenId);
    }

    public async Task<bool> JobExists(Guid tokenId)
    {
        var scheduler = await Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        return await scheduler.Exists(ScheduledMessageKeys.For(tokenId).Job);
    }

    /// <summary>Stops this node firing triggers, so whatever it stored can only be sent by a later host.</summary>
    public async Task StopFiring()
    {
        var scheduler = await Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Standby();
    }

    /// <summary>Lets this node fire triggers again after <see cref="StopFiring" />; whatever came due meanwhile fires now.</summary>
    public async Task ResumeFiring()
    {
        var scheduler = await Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
    }

    public async Task<bool> RemembersCancelled(Guid tokenId)
    {
        var scheduler = await Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        return await scheduler.IsCancelled(tokenId, CancellationToken.None);
    }

    /// <summary>Cancels a token before any schedule of it, as a cancel that overtook its schedule would arrive; returns once handled.</summary>
    public Task CancelAndWaitUntilHandled(Guid tokenId) =>
        SendToSchedulerAndWaitUntilHandled<CancelScheduledMessage>(new CancelScheduledMessageCommand(tokenId));

    /// <summary>Schedules with a token chosen by the test, as a late or redelivered schedule would arrive; returns once handled.</summary>
    public Task ScheduleAndWaitUntilHandled<T>(Guid tokenId, DateTime scheduledTime, T message) where T : class =>
        SendToSchedulerAndWaitUntilHandled<ScheduleMessage>(new ScheduleMessageCommand<T>(scheduledTime, TargetAddress, message, tokenId));

    async Task SendToSchedulerAndWaitUntilHandled<T>(T command) where T : class
    {
        var messageId = NewId.NextGuid();
        var handled = _consumed.WaitFor(messageId);
        var endpoint = await Bus.GetSendEndpoint(Options.EndpointAddress);
        await endpoint.Send(command, context => context.MessageId = messageId);
        await handled.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task MoveDueTime(Guid tokenId, DateTimeOffset dueTime)
    {
        await StopFiring();
        var scheduler = await Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var key = ScheduledMessageKeys.For(tokenId).Trigger;
        var trigger = await scheduler.GetTrigger(key) ?? throw new InvalidOperationException($"No trigger {key}");
        await scheduler.RescheduleJob(key, trigger.GetTriggerBuilder().StartAt(dueTime).Build());
    }

    public Task WaitUntilStored(Guid tokenId) =>
        Eventually.Holds(() => JobExists(tokenId), TimeSpan.FromSeconds(30), $"job {tokenId:N} is in the store");

    public Task WaitUntilRemoved(Guid tokenId) =>
        Eventually.Holds(async () => !await JobExists(tokenId), TimeSpan.FromSeconds(30), $"job {tokenId:N} is gone from the store");

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await DeleteQueues(_queues);
    }

    public static async Task DeleteQueues(params string[] queues)
    {
        var factory = new ConnectionFactory
        {
            HostName = LocalServices.RabbitMqHost,
            Port = LocalServices.RabbitMqPort,
            UserName = LocalServices.RabbitMqUser,
            Password = LocalServices.RabbitMqPassword,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in queues)
        {
            await channel.QueueDeleteAsync(queue);
            await channel.ExchangeDeleteAsync(queue);
        }
    }
}
