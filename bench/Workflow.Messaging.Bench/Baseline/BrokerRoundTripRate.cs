using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Workflow.Messaging.Bench.Baseline;

/// <summary>
/// Raw MassTransit over RabbitMQ with the fleet's durability: a durable queue, persistent
/// messages, publisher confirms. Publishes with bounded concurrency and counts the messages
/// consumed, so the rate is publish-to-consume, not publish alone.
/// </summary>
internal static class BrokerRoundTripRate
{
    public static async Task<double> MeasureAsync(string virtualHost, int messages, int inFlight, CancellationToken cancellation)
    {
        var received = new Counter(messages);
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(received);
        services.AddMassTransit(x =>
        {
            x.AddConsumer<PingConsumer>();
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(LocalServices.RabbitMqHost, LocalServices.RabbitMqPort, virtualHost, h =>
                {
                    h.Username(LocalServices.RabbitMqUser);
                    h.Password(LocalServices.RabbitMqPassword);
                    h.PublisherConfirmation = true;
                });
                cfg.ReceiveEndpoint("bench-baseline", e =>
                {
                    e.Durable = true;
                    e.PrefetchCount = 64;
                    e.ConcurrentMessageLimit = 16;
                    e.ConfigureConsumer<PingConsumer>(context);
                });
            });
        });
        await using var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IBusControl>();
        await bus.StartAsync(cancellation);
        try
        {
            var payload = new string('x', 600); // about the size of an ExecuteNode
            using var gate = new SemaphoreSlim(inFlight);
            var watch = Stopwatch.StartNew();
            var publishes = new List<Task>(messages);
            for (var i = 0; i < messages; i++)
            {
                await gate.WaitAsync(cancellation);
                publishes.Add(bus.Publish(new BaselinePing { Sequence = i, Payload = payload }, cancellation).ContinueWith(_ => gate.Release(), TaskScheduler.Default));
            }
            await Task.WhenAll(publishes);
            await received.AllReceived.WaitAsync(TimeSpan.FromMinutes(2), cancellation);
            return messages / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    private sealed class Counter(int expected)
    {
        private int _count;
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Task AllReceived => _all.Task;

        public void Add()
        {
            if (Interlocked.Increment(ref _count) >= expected)
                _all.TrySetResult();
        }
    }

    private sealed class PingConsumer(Counter counter) : IConsumer<BaselinePing>
    {
        public Task Consume(ConsumeContext<BaselinePing> context)
        {
            counter.Add();
            return Task.CompletedTask;
        }
    }
}

/// <summary>The baseline's message; public because MassTransit builds its topology from the type.</summary>
public sealed record BaselinePing
{
    public int Sequence { get; init; }
    public string Payload { get; init; } = "";
}
