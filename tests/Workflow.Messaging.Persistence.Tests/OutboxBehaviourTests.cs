using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Persistence.Tests.CounterSaga;
using Workflow.Messaging.Persistence.Tests.Infrastructure;

namespace Workflow.Messaging.Persistence.Tests;

/// <summary>The same guarantees, proven once per database (see the derived classes).</summary>
public abstract class OutboxBehaviourTests(TestDatabase database)
{
    [Fact]
    public async Task When_the_process_crashes_between_commit_and_delivery_then_the_redelivered_message_only_delivers()
    {
        await using var host = await BusHost.Start(database);
        var counterId = NewId.NextGuid();
        var messageId = NewId.NextGuid();
        host.Faults.CrashAfterCommit(1);

        await host.Bus.Publish(new StartCounter(counterId, Target: 1), x => x.MessageId = messageId);
        await Eventually.True(async () => (await host.FindInbox(messageId))?.Consumed != null, "the start is consumed");

        var stranded = await host.FindInbox(messageId);
        stranded!.Delivered.Should().BeNull("the crash happened before delivery");
        (await host.WithDb(db => db.Set<OutboxMessage>().CountAsync(x => x.InboxMessageId == messageId))).Should().Be(1);
        host.Observed.Of<CounterStarted>().Should().BeEmpty();

        // The broker redelivers the unacknowledged message with the same MessageId.
        await host.Bus.Publish(new StartCounter(counterId, Target: 1), x => x.MessageId = messageId);
        await Eventually.True(async () => (await host.FindInbox(messageId))?.Delivered != null, "the redelivery delivers");
        await Eventually.True(() => host.Observed.Of<CounterStarted>().Any(), "the stranded message arrives");

        host.Observed.Of<CounterStarted>().Should().ContainSingle().Which.CounterId.Should().Be(counterId);
        (await host.WithDb(db => db.Set<OutboxMessage>().CountAsync(x => x.InboxMessageId == messageId))).Should().Be(0);

        await host.Bus.Publish(new IncrementCounter(counterId));
        await Eventually.True(() => host.Observed.Of<CounterReached>().Any(x => x.CounterId == counterId), "the saga completes");
        var counter = await host.FindCounter(counterId);
        counter!.CurrentState.Should().Be("Reached");
        counter.Counter.Should().Be(1);
        host.Observed.Of<CounterStarted>().Should().ContainSingle("the redelivered start must not run the saga again");
    }

    [Fact]
    public async Task When_the_broker_never_confirms_a_delivery_then_the_send_times_out_and_the_retry_delivers_it_once()
    {
        await using var host = await BusHost.Start(database, o => o.SendTimeout = TimeSpan.FromMilliseconds(300));
        var counterId = NewId.NextGuid();
        var messageId = NewId.NextGuid();
        host.Faults.HangSendAfterCommit(1);

        await host.Bus.Publish(new StartCounter(counterId, Target: 1), x => x.MessageId = messageId);

        await Eventually.True(() => host.Observed.Of<CounterStarted>().Any(x => x.CounterId == counterId), "the retry delivers what the hung send did not");
        await Eventually.True(async () => (await host.FindInbox(messageId))?.Delivered != null, "the inbox row is marked delivered");
        host.Faults.HungSends.Should().Be(1);
        var inbox = await host.FindInbox(messageId);
        inbox!.ReceiveCount.Should().Be(2, "one pass consumed and hung on delivery, the retry only delivered");
        host.Observed.Of<CounterStarted>().Should().ContainSingle(x => x.CounterId == counterId);
        (await host.FindCounter(counterId))!.CurrentState.Should().Be("Counting");
    }

    [Fact]
    public async Task An_event_delivered_from_the_outbox_reaches_subscribers_of_an_interface_it_implements()
    {
        await using var host = await BusHost.Start(database);
        var counterId = NewId.NextGuid();

        // Nothing in this process publishes CounterReached other than through the outbox, so only
        // the re-send can have bound its exchange to ICounterOutcome's.
        await host.Bus.Publish(new StartCounter(counterId, Target: 1));
        await Eventually.True(() => host.Observed.Of<CounterStarted>().Any(x => x.CounterId == counterId), "the counter started");
        await host.Bus.Publish(new IncrementCounter(counterId));

        await Eventually.True(() => host.Observed.Of<CounterReached>().Any(x => x.CounterId == counterId), "the concrete subscriber gets it");
        await Eventually.True(() => host.Observed.Of<OutcomeSeen>().Any(x => x.CounterId == counterId), "the interface subscriber gets it");
    }

    [Fact]
    public async Task When_the_inbound_message_is_lost_after_a_crash_then_the_sweeper_delivers_the_stranded_rows()
    {
        await using var host = await BusHost.Start(database, o => o.StrandedDeliveryThreshold = TimeSpan.Zero);
        var counterId = NewId.NextGuid();
        var messageId = NewId.NextGuid();
        host.Faults.CrashAfterCommit(1);

        await host.Bus.Publish(new StartCounter(counterId, Target: 5), x => x.MessageId = messageId);
        await Eventually.True(async () => (await host.FindInbox(messageId))?.Consumed != null, "the start is consumed");

        var swept = await host.Services.GetRequiredService<InboxMaintenance<CounterDbContext>>().DeliverStranded(CancellationToken.None);

        swept.Should().BeGreaterThanOrEqualTo(1);
        await Eventually.True(() => host.Observed.Of<CounterStarted>().Any(x => x.CounterId == counterId), "the sweeper sends");
        (await host.FindInbox(messageId))!.Delivered.Should().NotBeNull();
    }

    [Fact]
    public async Task When_the_process_crashes_before_commit_then_saga_inbox_and_outbox_roll_back_together()
    {
        await using var host = await BusHost.Start(database);
        var counterId = NewId.NextGuid();
        await StartCounting(host, counterId, target: 1);
        var messageId = NewId.NextGuid();
        host.Faults.CrashBeforeCommit(1);

        // The saga row is updated and the CounterReached row written (SaveChanges ran), then the crash.
        await host.Bus.Publish(new IncrementCounter(counterId), x => x.MessageId = messageId);
        await Eventually.True(() => host.ReceiveFaults.Faults.Any(x => x.Message.Contains(messageId.ToString(), StringComparison.Ordinal)),
            "the receive faults");

        var counter = await host.FindCounter(counterId);
        counter!.Counter.Should().Be(0);
        counter.CurrentState.Should().Be("Counting");
        (await host.WithDb(db => db.Set<CounterIncrement>().CountAsync(x => x.CounterId == counterId))).Should().Be(0);
        (await host.FindInbox(messageId)).Should().BeNull();
        (await host.WithDb(db => db.Set<OutboxMessage>().CountAsync(x => x.InboxMessageId == messageId))).Should().Be(0);

        await host.Bus.Publish(new IncrementCounter(counterId), x => x.MessageId = messageId);
        await Eventually.True(() => host.Observed.Of<CounterReached>().Any(x => x.CounterId == counterId), "the redelivery completes the saga");
        (await host.FindCounter(counterId))!.Counter.Should().Be(1);
    }

    [Fact]
    public async Task When_a_conflict_is_detected_at_commit_then_the_retry_runs_on_a_fresh_DbContext()
    {
        await using var host = await BusHost.Start(database);
        var counterId = NewId.NextGuid();
        await StartCounting(host, counterId, target: 1);
        host.Faults.ConflictBeforeCommit(2);

        await host.Bus.Publish(new IncrementCounter(counterId));

        await Eventually.True(() => host.Observed.Of<CounterReached>().Any(x => x.CounterId == counterId), "a retry completes the saga");
        var counter = await host.FindCounter(counterId);
        counter!.Counter.Should().Be(1, "a reused DbContext would still track the first attempt's increment");
        (await host.WithDb(db => db.Set<CounterIncrement>().CountAsync(x => x.CounterId == counterId))).Should().Be(1);
        host.Observed.Of<CounterReached>().Where(x => x.CounterId == counterId).Should().ContainSingle();
    }

    [Fact]
    public async Task When_the_MassTransit_loop_is_selected_then_messages_are_consumed_once_and_delivered()
    {
        await using var host = await BusHost.Start(database, o => o.DeliveryMode = OutboxDeliveryMode.MassTransitLoop);
        var counterId = NewId.NextGuid();
        await StartCounting(host, counterId, target: 3);
        var messageIds = new[] { NewId.NextGuid(), NewId.NextGuid(), NewId.NextGuid() };

        await host.Bus.Publish(new IncrementCounter(counterId), x => x.MessageId = messageIds[0]);
        // Each pass of the loop counts a receive, in the transaction that would also consume. A
        // message without outbox rows takes three: consume, deliver (nothing), remove.
        await Eventually.True(async () => (await host.FindInbox(messageIds[0]))?.ReceiveCount == 3, "the first copy completes");

        await host.Bus.Publish(new IncrementCounter(counterId), x => x.MessageId = messageIds[0]);
        await Eventually.True(async () => (await host.FindInbox(messageIds[0]))!.ReceiveCount == 4, "the duplicate takes one pass");
        await host.Bus.Publish(new IncrementCounter(counterId), x => x.MessageId = messageIds[1]);
        await host.Bus.Publish(new IncrementCounter(counterId), x => x.MessageId = messageIds[2]);
        await Eventually.True(async () => (await host.FindInbox(messageIds[1]))?.Delivered != null
            && (await host.FindInbox(messageIds[2]))?.Delivered != null, "the other increments complete");

        (await host.FindCounter(counterId))!.Counter.Should().Be(3);
        await Eventually.True(() => host.Observed.Of<CounterReached>().Any(x => x.CounterId == counterId), "the saga completes");
        // This test's rows only: other tests of the class leave stranded rows in the same database on purpose.
        await Eventually.True(async () => await host.WithDb(db => db.Set<OutboxMessage>().AnyAsync(x => x.InboxMessageId != null && messageIds.Contains(x.InboxMessageId.Value))) == false,
            "the loop removes delivered rows");
    }

    [Fact]
    public async Task When_the_same_message_arrives_twice_then_it_is_consumed_once()
    {
        await using var host = await BusHost.Start(database);
        var counterId = NewId.NextGuid();
        await StartCounting(host, counterId, target: 100);
        var messageId = NewId.NextGuid();

        await Task.WhenAll(
            host.Bus.Publish(new IncrementCounter(counterId), x => x.MessageId = messageId),
            host.Bus.Publish(new IncrementCounter(counterId), x => x.MessageId = messageId));
        await Eventually.True(async () => (await host.FindInbox(messageId))?.ReceiveCount == 2, "both copies are received");
        await host.Bus.Publish(new IncrementCounter(counterId), x => x.MessageId = messageId);
        await Eventually.True(async () => (await host.FindInbox(messageId))?.ReceiveCount == 3, "the late copy is received");

        (await host.FindCounter(counterId))!.Counter.Should().Be(1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task When_200_events_for_one_saga_arrive_at_once_then_none_is_lost(bool partitioned)
    {
        const int events = 200;
        await using var host = await BusHost.Start(database, partitioned: partitioned);
        var counterId = NewId.NextGuid();
        await StartCounting(host, counterId, target: events);

        await Task.WhenAll(Enumerable.Range(0, events).Select(_ => host.Bus.Publish(new IncrementCounter(counterId))));

        await Eventually.True(() => host.Observed.Of<CounterReached>().Any(x => x.CounterId == counterId), "the counter reaches 200",
            TimeSpan.FromSeconds(90));
        var counter = await host.FindCounter(counterId);
        counter!.Counter.Should().Be(events);
        counter.CurrentState.Should().Be("Reached");
        var increments = await host.WithDb(db => db.Set<CounterIncrement>().Where(x => x.CounterId == counterId).Select(x => x.Value).ToListAsync());
        increments.Should().BeEquivalentTo(Enumerable.Range(1, events), "each event wrote its row in the saga's transaction");
        host.Observed.Of<CounterReached>().Where(x => x.CounterId == counterId).Should().ContainSingle()
            .Which.Counter.Should().Be(events);
    }

    [Fact]
    public async Task When_code_outside_a_consumer_publishes_then_only_committed_messages_are_delivered()
    {
        await using var host = await BusHost.Start(database);
        var rolledBack = new OutboxProbe(NewId.NextGuid(), "rolled back");
        var committed = new OutboxProbe(NewId.NextGuid(), "committed");

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var dbContext = scope.ServiceProvider.GetRequiredService<CounterDbContext>();
            await using var transaction = await dbContext.Database.BeginTransactionAsync();
            await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(rolledBack);
            await dbContext.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(committed);
            host.Observed.Of<OutboxProbe>().Should().NotContain(committed, "nothing leaves before SaveChanges");
            await scope.ServiceProvider.GetRequiredService<CounterDbContext>().SaveChangesAsync();
        }

        await Eventually.True(() => host.Observed.Of<OutboxProbe>().Contains(committed), "the committed probe is delivered");
        host.Observed.Of<OutboxProbe>().Should().NotContain(rolledBack);
        await Eventually.True(async () => await host.WithDb(db => db.Set<OutboxState>().AnyAsync()) == false,
            "delivered outbox units are removed");
    }

    [Fact]
    public async Task When_sending_fails_then_the_delivery_service_backs_off_and_catches_up()
    {
        await using var host = await BusHost.Start(database);
        host.Faults.FailBusSends(3);
        var probe = new OutboxProbe(NewId.NextGuid(), "after outage");

        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(probe);
            await scope.ServiceProvider.GetRequiredService<CounterDbContext>().SaveChangesAsync();
        }

        await Eventually.True(() => host.Observed.Of<OutboxProbe>().Contains(probe), "the probe is delivered after the outage");
        var attempts = host.Faults.BusSendAttempts;
        attempts.Should().HaveCount(4, "three failed attempts, then one that succeeds");

        // Backoff of 50, 100 and 200 ms between attempts: a hot loop would retry immediately.
        (attempts[^1] - attempts[0]).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(340));
        host.Observed.Of<OutboxProbe>().Count(x => x == probe).Should().Be(1);
    }

    [Fact]
    public async Task When_cleanup_runs_then_old_inbox_rows_go_and_recent_ones_stay()
    {
        await using var host = await BusHost.Start(database, o =>
        {
            o.DuplicateDetectionWindow = TimeSpan.FromMinutes(30);
            o.AbandonedInboxRetention = TimeSpan.FromDays(7);
        });
        var now = DateTime.UtcNow;
        var consumerId = NewId.NextGuid();
        var oldDelivered = Inbox(consumerId, received: now.AddHours(-3), delivered: now.AddHours(-2));
        var recentDelivered = Inbox(consumerId, received: now.AddMinutes(-5), delivered: now.AddMinutes(-4));
        var abandoned = Inbox(consumerId, received: now.AddDays(-8), delivered: null);
        var recentFaulted = Inbox(consumerId, received: now.AddHours(-1), delivered: null);
        await host.WithDb(async db =>
        {
            db.AddRange(oldDelivered, recentDelivered, abandoned, recentFaulted);
            db.Add(new OutboxMessage
            {
                MessageId = NewId.NextGuid(), InboxMessageId = abandoned.MessageId, InboxConsumerId = consumerId,
                ContentType = "application/json", MessageType = "urn:message:Probe", Body = "{}", SentTime = now,
            });
            return await db.SaveChangesAsync();
        });

        await host.Services.GetRequiredService<InboxMaintenance<CounterDbContext>>().Cleanup(CancellationToken.None);

        var remaining = await host.WithDb(db => db.Set<InboxState>().AsNoTracking()
            .Where(x => x.ConsumerId == consumerId).Select(x => x.MessageId).ToListAsync());
        remaining.Should().BeEquivalentTo([recentDelivered.MessageId, recentFaulted.MessageId]);
        (await host.WithDb(db => db.Set<OutboxMessage>().CountAsync(x => x.InboxConsumerId == consumerId))).Should().Be(0);
    }

    static InboxState Inbox(Guid consumerId, DateTime received, DateTime? delivered) => new()
    {
        MessageId = NewId.NextGuid(),
        ConsumerId = consumerId,
        LockId = NewId.NextGuid(),
        Received = received,
        ReceiveCount = 1,
        Consumed = delivered,
        Delivered = delivered,
    };

    static async Task StartCounting(BusHost host, Guid counterId, int target)
    {
        await host.Bus.Publish(new StartCounter(counterId, target));
        await Eventually.True(async () => (await host.FindCounter(counterId))?.CurrentState == "Counting", "the counter starts");
    }
}

public sealed class PostgresOutboxBehaviourTests(PostgresDatabase database)
    : OutboxBehaviourTests(database), IClassFixture<PostgresDatabase>;

/// <summary>Optimistic mode (xmin) with the recommended partitioner: conflicts only across processes, retried.</summary>
public sealed class PostgresOptimisticFanInTests(PostgresOptimisticDatabase database) : IClassFixture<PostgresOptimisticDatabase>
{
    [Fact]
    public async Task When_200_events_for_one_saga_arrive_at_once_in_optimistic_mode_then_none_is_lost()
    {
        const int events = 200;
        await using var host = await BusHost.Start(database, partitioned: true);
        var counterId = NewId.NextGuid();
        await host.Bus.Publish(new StartCounter(counterId, events));
        await Eventually.True(async () => (await host.FindCounter(counterId))?.CurrentState == "Counting", "the counter starts");

        await Task.WhenAll(Enumerable.Range(0, events).Select(_ => host.Bus.Publish(new IncrementCounter(counterId))));

        await Eventually.True(() => host.Observed.Of<CounterReached>().Any(x => x.CounterId == counterId), "the counter reaches 200",
            TimeSpan.FromSeconds(90));
        (await host.FindCounter(counterId))!.Counter.Should().Be(events);
    }
}

public sealed class SqliteOutboxBehaviourTests(SqliteDatabase database)
    : OutboxBehaviourTests(database), IClassFixture<SqliteDatabase>;
