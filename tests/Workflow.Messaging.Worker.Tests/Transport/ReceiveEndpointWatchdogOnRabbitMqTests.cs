using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Workflow.Messaging.Worker.Transport;

namespace Workflow.Messaging.Worker.Tests.Transport;

/// <summary>On the real RabbitMQ: a process whose bus stopped consuming while the broker is fine gets it back.</summary>
[Collection(nameof(ExitCodeCollection))]
public class ReceiveEndpointWatchdogOnRabbitMqTests
{
    [Fact]
    public async Task When_the_bus_of_a_process_stopped_consuming_then_the_watchdog_restarts_it_and_the_waiting_message_is_consumed()
    {
        var queue = $"watchdog-test-{Guid.NewGuid():N}";
        using var host = await StartHost(queue);
        var bus = host.Services.GetRequiredService<IBusControl>();
        var watchdog = host.Services.GetRequiredService<ReceiveEndpointWatchdog>();
        var probe = host.Services.GetRequiredService<IBrokerQueueProbe>();
        try
        {
            (await ConsumersOf(probe, queue)).Should().Be(1);

            // What the chaos run found: the process runs, the broker is fine, and nobody consumes the queue.
            await bus.StopAsync();
            (await ConsumersOf(probe, queue)).Should().Be(0);
            var ping = new WatchdogPing(Guid.NewGuid());
            await SendFromAnotherBus(queue, ping);

            var received = await host.Services.GetRequiredService<PingLog>().Received.Task.WaitAsync(TimeSpan.FromSeconds(60));

            received.Should().Be(ping.Id);
            watchdog.BusRestarts.Should().Be(1);
            (await ConsumersOf(probe, queue)).Should().Be(1);
        }
        finally
        {
            await host.StopAsync();
            await DeleteQueue(queue);
        }
    }

    private static async Task<IHost> StartHost(string queue)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<PingLog>();
        builder.Services.AddOptions<RabbitMqTransportOptions>().Configure(Broker);
        builder.Services.AddMassTransit(x =>
        {
            x.AddConsumer<PingConsumer>().Endpoint(e => e.Name = queue);
            x.UsingRabbitMq((context, cfg) => cfg.ConfigureEndpoints(context));
        });
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o => o.WaitUntilStarted = true);
        builder.Services.AddReceiveEndpointWatchdog();
        builder.Services.Configure<EndpointWatchdogOptions>(o =>
        {
            o.CheckInterval = TimeSpan.FromMilliseconds(250);
            o.DeadAfter = TimeSpan.FromSeconds(2);
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static void Broker(RabbitMqTransportOptions o)
    {
        o.Host = LocalServices.RabbitMqHost;
        o.Port = LocalServices.RabbitMqPort;
        o.VHost = "/";
        o.User = LocalServices.RabbitMqUser;
        o.Pass = LocalServices.RabbitMqPassword;
    }

    private static async Task<uint?> ConsumersOf(IBrokerQueueProbe probe, string queue) =>
        (await probe.ReadAsync([queue], CancellationToken.None))?.Single().Consumers;

    private static async Task SendFromAnotherBus(string queue, WatchdogPing ping)
    {
        var sender = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(LocalServices.RabbitMqHost, LocalServices.RabbitMqPort, "/", h =>
        {
            h.Username(LocalServices.RabbitMqUser);
            h.Password(LocalServices.RabbitMqPassword);
        }));
        await sender.StartAsync();
        try
        {
            var endpoint = await sender.GetSendEndpoint(new Uri($"queue:{queue}"));
            await endpoint.Send(ping);
        }
        finally
        {
            await sender.StopAsync();
        }
    }

    private static async Task DeleteQueue(string queue)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory
        {
            HostName = LocalServices.RabbitMqHost, Port = LocalServices.RabbitMqPort,
            UserName = LocalServices.RabbitMqUser, Password = LocalServices.RabbitMqPassword,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        await channel.ExchangeDeleteAsync(queue, ifUnused: false);
    }
}
