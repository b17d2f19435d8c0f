using MassTransit;
using MassTransit.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;
using Workflow.Messaging.Scheduling.Cancellation;
using Workflow.Messaging.Scheduling.Tests.Infrastructure;

namespace Workflow.Messaging.Scheduling.Tests;

/// <summary>
/// Component tests of the order a schedule and its cancel arrive in, on the in-memory transport with no broker or
/// shared database. The messages are due an hour away, so nothing can fire during a test: what is asserted is what the
/// job store holds, which is what would (or would not) fire.
/// </summary>
public sealed class CancelOrderTests : IAsyncLifetime
{
    static readonly Uri Destination = new("queue:cancel-order-target");
    readonly string _databasePath = Path.Combine(Path.GetTempPath(), $"wf-cancel-order-{Guid.NewGuid():N}.db");
    readonly ConsumedMessages _consumed = new();
    ServiceProvider? _provider;

    public static TheoryData<SchedulerStoreProvider> Stores => [SchedulerStoreProvider.Memory, SchedulerStoreProvider.Sqlite];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task When_a_cancel_arrives_after_its_schedule_then_the_job_is_removed_and_the_token_remembered(SchedulerStoreProvider store)
    {
        await Start(store);
        var tokenId = Guid.NewGuid();

        await Schedule(tokenId);
        (await Scheduler().Exists(ScheduledMessageKeys.For(tokenId).Job)).Should().BeTrue("the schedule was stored");
        await Cancel(tokenId);

        (await Scheduler().Exists(ScheduledMessageKeys.For(tokenId).Job)).Should().BeFalse("the cancel removed the job");
        (await Scheduler().IsCancelled(tokenId, CancellationToken.None)).Should().BeTrue("the cancelled token is remembered");
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task When_a_cancel_overtakes_its_schedule_then_the_late_schedule_is_dropped(SchedulerStoreProvider store)
    {
        await Start(store);
        var tokenId = Guid.NewGuid();

        await Cancel(tokenId);
        await Schedule(tokenId);

        (await Scheduler().Exists(ScheduledMessageKeys.For(tokenId).Job)).Should().BeFalse("a schedule of a cancelled token must never be stored");
        (await Scheduler().IsCancelled(tokenId, CancellationToken.None)).Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task When_a_schedule_is_redelivered_after_its_cancel_then_it_is_dropped_again(SchedulerStoreProvider store)
    {
        await Start(store);
        var tokenId = Guid.NewGuid();

        await Schedule(tokenId);
        await Cancel(tokenId);
        await Schedule(tokenId);

        (await Scheduler().Exists(ScheduledMessageKeys.For(tokenId).Job)).Should().BeFalse("the redelivered schedule must not bring the job back");
    }

    [Fact]
    public async Task When_another_token_is_cancelled_then_a_schedule_is_still_stored()
    {
        await Start(SchedulerStoreProvider.Memory);
        var cancelledToken = Guid.NewGuid();
        var keptToken = Guid.NewGuid();

        await Cancel(cancelledToken);
        await Schedule(keptToken);

        (await Scheduler().Exists(ScheduledMessageKeys.For(keptToken).Job)).Should().BeTrue();
        (await Scheduler().IsCancelled(keptToken, CancellationToken.None)).Should().BeFalse();
    }

    [Fact]
    public async Task When_the_retention_is_over_then_the_cancelled_token_is_forgotten()
    {
        await Start(SchedulerStoreProvider.Memory, retention: TimeSpan.FromMilliseconds(300));
        var tokenId = Guid.NewGuid();

        await Cancel(tokenId);

        // The tombstone's trigger fires at the end of the retention; Quartz then deletes the job. The store has no
        // notification of that, hence the poll.
        await Eventually.Holds(async () => !await Scheduler().IsCancelled(tokenId, CancellationToken.None),
            TimeSpan.FromSeconds(30), $"the tombstone of {tokenId:N} expired");
    }

    async Task Start(SchedulerStoreProvider store, TimeSpan? retention = null)
    {
        var options = SchedulerTestHost.UniqueOptions(store, store == SchedulerStoreProvider.Sqlite ? $"Data Source={_databasePath}" : null);
        if (retention is { } value)
            options.CancelledTokenRetention = value;

        _provider = new ServiceCollection()
            .AddLogging(logging => logging.AddConsole().SetMinimumLevel(LogLevel.Warning))
            .AddMassTransit(x =>
            {
                x.AddWorkflowQuartzScheduler(options);
                x.UsingInMemory((context, bus) => bus.ConfigureEndpoints(context));
            })
            .BuildServiceProvider(true);
        var bus = _provider.GetRequiredService<IBusControl>();
        bus.ConnectConsumeObserver(_consumed);
        await bus.StartAsync();
    }

    IScheduler Scheduler() => _provider!.GetRequiredService<ISchedulerFactory>().GetScheduler().GetAwaiter().GetResult();

    Task Schedule(Guid tokenId) =>
        SendAndWaitUntilConsumed<ScheduleMessage>(new ScheduleMessageCommand<ReminderDue>(
            DateTime.UtcNow.AddHours(1), Destination, new ReminderDue { Id = Guid.NewGuid(), Text = "cancel order" }, tokenId));

    Task Cancel(Guid tokenId) =>
        SendAndWaitUntilConsumed<CancelScheduledMessage>(new CancelScheduledMessageCommand(tokenId));

    // Waits for this very message (by message id): a second schedule of one token must not be satisfied by the first.
    async Task SendAndWaitUntilConsumed<TMessage>(TMessage message)
        where TMessage : class
    {
        var messageId = NewId.NextGuid();
        var consumed = _consumed.WaitFor(messageId);
        var endpoint = await _provider!.GetRequiredService<IBus>().GetSendEndpoint(_provider!.GetRequiredService<SchedulerOptions>().EndpointAddress);
        await endpoint.Send(message, context => context.MessageId = messageId);
        await consumed.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.GetRequiredService<IBusControl>().StopAsync();
            await _provider.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _databasePath, _databasePath + "-wal", _databasePath + "-shm" })
            File.Delete(file);
    }
}
