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
    /// <param name="stopAfter">Publish for at most this long (the rate then counts what was published), so it can run beside another measurement for the same time.</param>
    /// <param name="publishing">Completed when the first message is about to go out (the bus has started): a measurement beside this one starts then.</param>
    public static async Task<double> MeasureAsync(string virtualHost, int messages, int inFlight, CancellationToken cancellation,
        TimeSpan? stopAfter = null, TaskCompletionSource? publishing = null)
    {
        var received = new Counter();
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
            publishing?.TrySetResult();
            var watch = Stopwatch.StartNew();
            var publishes = new List<Task>(Math.Min(messages, 100_000));
            var sent = 0;
            for (; sent < messages && (stopAfter is null || watch.Elapsed < stopAfter); sent++)
            {
                await gate.WaitAsync(cancellation);
                publishes.Add(bus.Publish(new BaselinePing { Sequence = sent, Payload = payload }, cancellation).ContinueWith(_ => gate.Release(), TaskScheduler.Default));
            }
            await Task.WhenAll(publishes);
            await received.Expect(sent).WaitAsync(TimeSpan.FromMinutes(2), cancellation);
            return sent / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    private sealed class Counter
    {
        private int _count;
        private int _expected = int.MaxValue;
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes once <paramref name="expected"/> messages have arrived (some may already have).</summary>
        public Task Expect(int expected)
        {
            // A full fence (not a plain volatile write), so that this read and Add's read of the
            // expected count cannot both miss the other's write.
            Interlocked.Exchange(ref _expected, expected);
            if (Volatile.Read(ref _count) >= expected)
                _all.TrySetResult();
            return _all.Task;
        }

        public void Add()
        {
            if (Interlocked.Increment(ref _count) >= Volatile.Read(ref _expected))
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
