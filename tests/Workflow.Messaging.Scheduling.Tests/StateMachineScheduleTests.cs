using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Scheduling.Tests.Infrastructure;
using Workflow.Messaging.Scheduling.Tests.Reminders;

namespace Workflow.Messaging.Scheduling.Tests;

public sealed class StateMachineScheduleTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(30);

    readonly MessageRecorder _recorder = new();
    readonly string _sagaQueue = $"test-reminder-saga-{Guid.NewGuid():N}";

    [Fact]
    public async Task When_a_state_machine_schedules_then_the_event_arrives_and_unschedule_removes_it()
    {
        var options = SchedulerTestHost.UniqueOptions(SchedulerStoreProvider.Postgres, database.ConnectionString);
        await using var host = await SchedulerTestHost.Start(options, _recorder, $"test-target-{Guid.NewGuid():N}",
            register: x => x.AddSagaStateMachine<ReminderStateMachine, ReminderState>()
                .InMemoryRepository()
                .Endpoint(endpoint => endpoint.Name = _sagaQueue));
        var saga = await host.Bus.GetSendEndpoint(new Uri($"queue:{_sagaQueue}"));
        var repository = host.Services.GetRequiredService<ILoadSagaRepository<ReminderState>>();

        var reminded = Guid.NewGuid();
        await saga.Send(new StartReminder { ReminderId = reminded });
        var elapsed = await _recorder.WaitFor<ReminderElapsed>(message => message.ReminderId == reminded, ArrivalTimeout);
        elapsed.SchedulingTokenId.Should().NotBeNull("the saga only accepts the event carrying its token");

        var stopped = Guid.NewGuid();
        await saga.Send(new StartReminder { ReminderId = stopped });
        var tokenId = await WaitForToken(repository, stopped);
        await host.WaitUntilStored(tokenId);
        await saga.Send(new StopReminder { ReminderId = stopped });
        await host.WaitUntilRemoved(tokenId);

        var sentinel = new Sentinel { Id = Guid.NewGuid() };
        await host.ScheduleSend(DateTime.UtcNow + ReminderStateMachine.Delay + TimeSpan.FromSeconds(1), sentinel);
        await _recorder.WaitFor<Sentinel>(message => message.Id == sentinel.Id, ArrivalTimeout);
        _recorder.Received.Select(recorded => recorded.Message).OfType<ReminderElapsed>()
            .Should().NotContain(message => message.ReminderId == stopped);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => SchedulerTestHost.DeleteQueues(_sagaQueue);

    static async Task<Guid> WaitForToken(ILoadSagaRepository<ReminderState> repository, Guid reminderId)
    {
        Guid? token = null;
        await Eventually.Holds(async () =>
        {
            var instance = await repository.Load(reminderId);
            token = instance?.ReminderTokenId;
            return token.HasValue;
        }, ArrivalTimeout, $"reminder {reminderId} holds a schedule token");
        return token!.Value;
    }
}
