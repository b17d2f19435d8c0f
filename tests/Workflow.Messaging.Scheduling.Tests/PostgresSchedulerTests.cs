using MassTransit;
using Workflow.Messaging.Scheduling.Tests.Infrastructure;

namespace Workflow.Messaging.Scheduling.Tests;

public sealed class PostgresSchedulerTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(30);

    readonly MessageRecorder _recorder = new();
    readonly string _targetQueue = $"test-target-{Guid.NewGuid():N}";

    SchedulerOptions NewOptions() => SchedulerTestHost.UniqueOptions(SchedulerStoreProvider.Postgres, database.ConnectionString);

    [Fact]
    public async Task When_a_message_is_scheduled_then_it_arrives_after_its_delay_with_its_headers_and_token()
    {
        await using var host = await SchedulerTestHost.Start(NewOptions(), _recorder, _targetQueue);
        var reminder = new ReminderDue { Id = Guid.NewGuid(), Text = "call back" };
        var dueAt = DateTime.UtcNow.AddSeconds(2);

        var scheduled = await host.ScheduleSend(dueAt, reminder, context =>
        {
            context.Headers.Set("X-Workflow-Test", "kept");
            context.CorrelationId = reminder.Id;
        });

        var arrived = await _recorder.WaitFor<ReminderDue>(message => message.Id == reminder.Id, ArrivalTimeout);
        arrived.Message.Should().Be(reminder);
        arrived.ReceivedAt.Should().BeOnOrAfter(dueAt.AddMilliseconds(-50), "a scheduled message must not arrive before it is due");
        arrived.Headers.Should().Contain("X-Workflow-Test", "kept");
        arrived.SchedulingTokenId.Should().Be(scheduled.TokenId);
        // Quartz completes the firing after the send returns: a fired one-shot schedule leaves nothing behind.
        await host.WaitUntilRemoved(scheduled.TokenId);
    }

    // Firing is held while the schedule and its cancel are handled: on a loaded machine (CI at load 7-9 on 2 cores)
    // the round trips took longer than the message's delay, so it fired before the cancel arrived, and the test
    // then measured the machine's speed instead of the cancel. Once firing resumes the cancelled message is overdue,
    // so it would fire before the sentinel, which is scheduled only then.
    [Fact]
    public async Task When_a_scheduled_message_is_cancelled_then_it_never_arrives()
    {
        await using var host = await SchedulerTestHost.Start(NewOptions(), _recorder, _targetQueue);
        await host.StopFiring();
        var cancelled = new ReminderDue { Id = Guid.NewGuid(), Text = "never" };
        var scheduled = await host.ScheduleSend(DateTime.UtcNow.AddSeconds(1), cancelled);
        await host.WaitUntilStored(scheduled.TokenId);

        await host.CancelScheduledSend(scheduled.TokenId);
        await host.WaitUntilRemoved(scheduled.TokenId);
        await host.ResumeFiring();

        await ExpectOnlyTheSentinel(host, cancelled);
        (await host.RemembersCancelled(scheduled.TokenId)).Should().BeTrue();
    }

    [Fact]
    public async Task When_a_schedule_is_cancelled_right_after_it_was_made_then_the_cancel_does_not_overtake_it()
    {
        await using var host = await SchedulerTestHost.Start(NewOptions(), _recorder, _targetQueue);
        await host.StopFiring();
        var cancelled = new ReminderDue { Id = Guid.NewGuid(), Text = "never either" };

        var scheduled = await host.ScheduleSend(DateTime.UtcNow.AddSeconds(1), cancelled);
        await host.CancelScheduledSend(scheduled.TokenId);
        await Eventually.Holds(() => host.RemembersCancelled(scheduled.TokenId), ArrivalTimeout, "the cancel was handled");
        await host.ResumeFiring();

        await ExpectOnlyTheSentinel(host, cancelled);
        (await host.JobExists(scheduled.TokenId)).Should().BeFalse();
    }

    [Fact]
    public async Task When_a_cancel_arrives_before_its_schedule_then_the_late_schedule_never_fires()
    {
        await using var host = await SchedulerTestHost.Start(NewOptions(), _recorder, _targetQueue);
        var cancelled = new ReminderDue { Id = Guid.NewGuid(), Text = "overtaken" };
        var tokenId = Guid.NewGuid();

        await host.CancelAndWaitUntilHandled(tokenId);
        // Due at once: were it stored, it would fire before the sentinel, which is scheduled after it was handled.
        await host.ScheduleAndWaitUntilHandled(tokenId, DateTime.UtcNow, cancelled);

        await ExpectOnlyTheSentinel(host, cancelled);
        (await host.JobExists(tokenId)).Should().BeFalse("a schedule of a cancelled token is dropped");
    }

    async Task ExpectOnlyTheSentinel(SchedulerTestHost host, ReminderDue cancelled)
    {
        var sentinel = new Sentinel { Id = Guid.NewGuid() };
        await host.ScheduleSend(DateTime.UtcNow.AddSeconds(1), sentinel);
        await _recorder.WaitFor<Sentinel>(message => message.Id == sentinel.Id, ArrivalTimeout);
        _recorder.Received.Select(recorded => recorded.Message).OfType<ReminderDue>().Should().NotContain(message => message.Id == cancelled.Id);
    }

    [Fact]
    public async Task When_the_host_restarts_then_a_stored_schedule_still_fires()
    {
        var options = NewOptions();
        var reminder = new ReminderDue { Id = Guid.NewGuid(), Text = "survive" };
        Guid tokenId;

        await using (var first = await SchedulerTestHost.Start(options, _recorder, _targetQueue))
        {
            var scheduled = await first.ScheduleSend(DateTime.UtcNow.AddSeconds(5), reminder);
            tokenId = scheduled.TokenId;
            await first.WaitUntilStored(tokenId);
            await first.StopFiring();
        }

        _recorder.Received.Should().BeEmpty("the first host stopped firing before the message was due");

        await using var second = await SchedulerTestHost.Start(options, _recorder, _targetQueue);
        var arrived = await _recorder.WaitFor<ReminderDue>(message => message.Id == reminder.Id, ArrivalTimeout);
        arrived.SchedulingTokenId.Should().Be(tokenId);
    }

    [Fact]
    public async Task When_a_schedule_came_due_long_before_the_host_restarted_then_it_fires_on_start()
    {
        var options = NewOptions();
        var reminder = new ReminderDue { Id = Guid.NewGuid(), Text = "overdue after downtime" };
        Guid tokenId;

        await using (var first = await SchedulerTestHost.Start(options, _recorder, _targetQueue))
        {
            var scheduled = await first.ScheduleSend(DateTime.UtcNow.AddMinutes(10), reminder);
            tokenId = scheduled.TokenId;
            await first.WaitUntilStored(tokenId);
            // Moves the stored trigger far into the past, as if the message had come due during a long outage.
            await first.MoveDueTime(tokenId, DateTimeOffset.UtcNow.AddMinutes(-30));
        }

        await using var second = await SchedulerTestHost.Start(options, _recorder, _targetQueue);
        var arrived = await _recorder.WaitFor<ReminderDue>(message => message.Id == reminder.Id, ArrivalTimeout);
        arrived.SchedulingTokenId.Should().Be(tokenId);
    }

    [Fact]
    public async Task When_a_message_is_scheduled_in_the_past_then_it_fires_now()
    {
        await using var host = await SchedulerTestHost.Start(NewOptions(), _recorder, _targetQueue);
        var overdue = new ReminderDue { Id = Guid.NewGuid(), Text = "late" };

        await host.ScheduleSend(DateTime.UtcNow.AddMinutes(-5), overdue);

        var arrived = await _recorder.WaitFor<ReminderDue>(message => message.Id == overdue.Id, ArrivalTimeout);
        arrived.Message.Should().Be(overdue);
    }

    [Fact]
    public async Task When_sending_a_due_message_fails_then_it_is_retried_instead_of_dropped()
    {
        var failures = new FailingSendFilter(new Uri($"queue:{_targetQueue}"), failuresBeforeSuccess: 2);
        await using var host = await SchedulerTestHost.Start(NewOptions(), _recorder, _targetQueue,
            configureBus: bus => bus.ConfigureSend(send => send.UseFilter(failures)));
        var reminder = new ReminderDue { Id = Guid.NewGuid(), Text = "persist" };

        var scheduled = await host.ScheduleSend(DateTime.UtcNow.AddSeconds(1), reminder);

        var arrived = await _recorder.WaitFor<ReminderDue>(message => message.Id == reminder.Id, ArrivalTimeout);
        arrived.SchedulingTokenId.Should().Be(scheduled.TokenId);
        failures.FailedSends.Should().Be(2);
    }

    [Fact]
    public async Task When_the_broker_never_confirms_a_due_message_then_the_send_times_out_and_is_retried()
    {
        using var hang = new HangingSendFilter(new Uri($"queue:{_targetQueue}"));
        var options = NewOptions();
        options.SendTimeout = TimeSpan.FromMilliseconds(500);
        await using var host = await SchedulerTestHost.Start(options, _recorder, _targetQueue,
            configureBus: bus => bus.ConfigureSend(send => send.UseFilter(hang)));
        var reminder = new ReminderDue { Id = Guid.NewGuid(), Text = "confirm lost" };

        var scheduled = await host.ScheduleSend(DateTime.UtcNow.AddSeconds(1), reminder);

        var arrived = await _recorder.WaitFor<ReminderDue>(message => message.Id == reminder.Id, ArrivalTimeout);
        arrived.SchedulingTokenId.Should().Be(scheduled.TokenId);
        hang.HungSends.Should().Be(1, "the first send was held and the job tried again");
    }
}
