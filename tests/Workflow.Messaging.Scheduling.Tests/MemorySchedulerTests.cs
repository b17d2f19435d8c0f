using Workflow.Messaging.Scheduling.Tests.Infrastructure;

namespace Workflow.Messaging.Scheduling.Tests;

public sealed class MemorySchedulerTests
{
    [Fact]
    public async Task When_a_message_is_scheduled_on_the_memory_store_then_it_arrives_with_its_headers()
    {
        var recorder = new MessageRecorder();
        await using var host = await SchedulerTestHost.Start(
            SchedulerTestHost.UniqueOptions(SchedulerStoreProvider.Memory, null), recorder, $"test-target-{Guid.NewGuid():N}");
        var reminder = new ReminderDue { Id = Guid.NewGuid(), Text = "volatile" };

        var scheduled = await host.ScheduleSend(DateTime.UtcNow.AddSeconds(1), reminder, context => context.Headers.Set("X-Attempt", 3));

        var arrived = await recorder.WaitFor<ReminderDue>(message => message.Id == reminder.Id, TimeSpan.FromSeconds(30));
        arrived.SchedulingTokenId.Should().Be(scheduled.TokenId);
        arrived.Headers.Should().ContainKey("X-Attempt").WhoseValue.Should().Be(3L, "numeric headers keep their type through the store");
    }
}
