using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Persistence.Tests.CounterSaga;
using Workflow.Messaging.Persistence.Tests.Infrastructure;

namespace Workflow.Messaging.Persistence.Tests;

/// <summary>
/// The outbox without the inbox, for messages a consumer handles idempotently by itself
/// (<see cref="InboxlessEndpoint"/>; here StartCounter): no inbox row, and still nothing lost and
/// nothing consumed twice by a retry. Once per database.
/// </summary>
public abstract class InboxlessOutboxTests(TestDatabase database)
{
    [Fact]
    public async Task A_consume_writes_no_inbox_row_and_its_sent_rows_are_deleted_behind_it()
    {
        await using var host = await BusHost.Start(database, startWithoutInbox: true);
        var counterId = NewId.NextGuid();
        var messageId = NewId.NextGuid();

        await host.Bus.Publish(new StartCounter(counterId, Target: 1), x => x.MessageId = messageId);

        await Eventually.True(() => host.Observed.Of<CounterStarted>().Any(x => x.CounterId == counterId), "the start's event is sent");
        await Eventually.True(async () => await OutboxRows(host, messageId) == 0, "the sent row is deleted");
        (await host.FindInbox(messageId)).Should().BeNull("the start went without an inbox row");
        (await host.FindCounter(counterId))!.CurrentState.Should().Be("Counting");

        // IncrementCounter keeps the inbox: the choice is per message type.
        var incrementId = NewId.NextGuid();
        await host.Bus.Publish(new IncrementCounter(counterId), x => x.MessageId = incrementId);
        await Eventually.True(() => host.Observed.Of<CounterReached>().Any(x => x.CounterId == counterId), "the counter completes");
        await Eventually.True(async () => (await host.FindInbox(incrementId))?.Delivered != null, "the increment has its inbox row");
    }

    [Fact]
    public async Task When_the_send_after_commit_hangs_then_the_retry_sends_the_stored_rows_without_consuming_again()
    {
        await using var host = await BusHost.Start(database, o => o.SendTimeout = TimeSpan.FromMilliseconds(300), startWithoutInbox: true);
        var counterId = NewId.NextGuid();
        var messageId = NewId.NextGuid();
        host.Faults.HangSendAfterCommit(1);

        await host.Bus.Publish(new StartCounter(counterId, Target: 1), x => x.MessageId = messageId);

        await Eventually.True(() => host.Observed.Of<CounterStarted>().Any(x => x.CounterId == counterId), "the retry sends what the hung send did not");
        await Eventually.True(async () => await OutboxRows(host, messageId) == 0, "the sent row is deleted");
        host.Faults.HungSends.Should().Be(1);
        host.Observed.Of<CounterStarted>().Should().ContainSingle(x => x.CounterId == counterId,
            "the retry found the committed row and sent it; a second consume would have been ignored and sent nothing");
        (await host.FindInbox(messageId)).Should().BeNull();
    }

    [Fact]
    public async Task When_the_process_crashes_after_commit_and_the_message_is_gone_then_the_sweeper_sends_the_rows()
    {
        await using var host = await BusHost.Start(database, o => o.StrandedDeliveryThreshold = TimeSpan.Zero, startWithoutInbox: true);
        var counterId = NewId.NextGuid();
        var messageId = NewId.NextGuid();
        host.Faults.CrashAfterCommit(1);

        await host.Bus.Publish(new StartCounter(counterId, Target: 1), x => x.MessageId = messageId);
        await Eventually.True(async () => await OutboxRows(host, messageId) == 1, "the consume committed its row and crashed before sending it");
        host.Observed.Of<CounterStarted>().Should().BeEmpty();

        var swept = await host.Services.GetRequiredService<InboxMaintenance<CounterDbContext>>().DeliverStranded(CancellationToken.None);

        swept.Should().Be(1, "one consume's rows were stranded");
        await Eventually.True(() => host.Observed.Of<CounterStarted>().Any(x => x.CounterId == counterId), "the sweeper sends");
        (await OutboxRows(host, messageId)).Should().Be(0, "and deletes what it sent");
        (await host.Services.GetRequiredService<InboxMaintenance<CounterDbContext>>().DeliverStranded(CancellationToken.None))
            .Should().Be(0, "nothing is sent twice by the sweeper");
    }

    static Task<int> OutboxRows(BusHost host, Guid messageId) =>
        host.WithDb(db => db.Set<OutboxMessage>().CountAsync(x => x.InboxMessageId == messageId));
}

public sealed class PostgresInboxlessOutboxTests(PostgresDatabase database)
    : InboxlessOutboxTests(database), IClassFixture<PostgresDatabase>;

public sealed class SqliteInboxlessOutboxTests(SqliteDatabase database)
    : InboxlessOutboxTests(database), IClassFixture<SqliteDatabase>;
