using Workflow.Messaging.Scheduling.Tests.Infrastructure;

namespace Workflow.Messaging.Scheduling.Tests;

public sealed class SqliteSchedulerTests : IDisposable
{
    readonly string _databasePath = Path.Combine(Path.GetTempPath(), $"wf-scheduler-{Guid.NewGuid():N}.db");
    readonly MessageRecorder _recorder = new();

    [Fact]
    public async Task When_a_message_is_scheduled_on_the_embedded_store_then_it_arrives_after_its_delay_with_its_token()
    {
        var options = SchedulerTestHost.UniqueOptions(SchedulerStoreProvider.Sqlite, $"Data Source={_databasePath}");
        await using var host = await SchedulerTestHost.Start(options, _recorder, $"test-target-{Guid.NewGuid():N}");
        var reminder = new ReminderDue { Id = Guid.NewGuid(), Text = "embedded" };
        var dueAt = DateTime.UtcNow.AddSeconds(2);

        var scheduled = await host.ScheduleSend(dueAt, reminder);

        var arrived = await _recorder.WaitFor<ReminderDue>(message => message.Id == reminder.Id, TimeSpan.FromSeconds(30));
        arrived.ReceivedAt.Should().BeOnOrAfter(dueAt.AddMilliseconds(-50));
        arrived.SchedulingTokenId.Should().Be(scheduled.TokenId);
        File.Exists(_databasePath).Should().BeTrue("the schedule is kept in the SQLite file");
    }

    [Fact]
    public async Task When_a_sqlite_store_is_configured_as_clustered_then_the_host_refuses_to_start()
    {
        var options = SchedulerTestHost.UniqueOptions(SchedulerStoreProvider.Sqlite, $"Data Source={_databasePath}");
        options.Clustered = true;

        var start = () => SchedulerTestHost.Start(options, _recorder, $"test-target-{Guid.NewGuid():N}");

        await start.Should().ThrowAsync<InvalidOperationException>().WithMessage("*cannot be clustered*");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _databasePath, _databasePath + "-wal", _databasePath + "-shm" })
            File.Delete(file);
    }
}
