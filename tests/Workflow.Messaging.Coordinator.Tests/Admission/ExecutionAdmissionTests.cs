using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Admission;
using Workflow.Messaging.Coordinator.Tests.Persistence;
using static Workflow.Messaging.Coordinator.Tests.Define;

namespace Workflow.Messaging.Coordinator.Tests.Admission;

/// <summary>
/// Created → Queued → Running behind <c>maxConcurrentExecutions</c> and the global limit, with the
/// saga, admission and embedded workers on the test harness, on each store.
/// </summary>
public abstract class ExecutionAdmissionTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : CoordinatorDatabase
{
    protected TDatabase Database => database;

    private static WorkflowDefinition Limited(string id, int limit, string nodeType = "gate", string parameters = "{}") => Parse($$"""
        {
          "id": "{{id}}",
          "settings": { "maxConcurrentExecutions": {{limit}} },
          "nodes": [ { "id": "work", "type": "{{nodeType}}", "parameters": {{parameters}} } ]
        }
        """);

    [Fact]
    public async Task When_200_starts_meet_maxConcurrentExecutions_5_then_never_more_than_5_run_at_once_and_all_finish()
    {
        await using var h = await AdmissionEvents.StartRecordingAsync(null, database);
        var definition = Limited("five-at-a-time", 5, "delay", """{ "duration": "5ms" }""");
        var ids = new List<Guid>();
        for (var i = 0; i < 200; i++)
            ids.Add(await h.StartAsync(definition));

        foreach (var id in ids)
            await h.WaitForAsync(id, m => m.Succeeded);
        foreach (var id in ids)
            await h.EventAsync<ExecutionSucceeded>(s => s.ExecutionId == id);

        var started = h.Recorded().Of<ExecutionStarted>().Where(s => ids.Contains(s.ExecutionId)).ToList();
        var succeeded = h.Recorded().Of<ExecutionSucceeded>().Where(s => ids.Contains(s.ExecutionId)).ToList();
        started.Select(s => s.ExecutionId).Should().OnlyHaveUniqueItems().And.HaveCount(200);
        succeeded.Should().HaveCount(200);
        var most = AdmissionEvents.MostRunningAtOnce(started, succeeded.Select(s => (s.ExecutionId, s.FinishedAt)));
        most.Should().BeInRange(1, 5, "the limit is 5");
        h.Recorded().Of<ExecutionQueued>().Should().Contain(q => ids.Contains(q.ExecutionId), "200 starts against 5 slots queue most of them");
        await AssertNothingHeldAsync(h, definition);
    }

    [Fact]
    public async Task When_the_limit_is_full_then_a_start_is_queued_with_what_it_waits_for_and_runs_when_the_slot_comes_back()
    {
        await using var h = await AdmissionEvents.StartRecordingAsync(null, database);
        var definition = Limited("one-at-a-time", 1);
        var first = await h.StartAsync(definition);
        await h.Gates.For("work").Entered.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var second = await h.StartAsync(definition);
        (await h.WaitForAsync(second, m => m.Queued)).CurrentState.Should().Be("Queued");
        (await h.EventAsync<ExecutionQueued>(q => q.ExecutionId == second)).WaitingFor.Should().Equal("workflow:one-at-a-time");
        await using (var scope = h.Services.CreateAsyncScope())
            (await scope.ServiceProvider.GetRequiredService<IAdmissionStore>().WaitingForAsync(second, CancellationToken.None))
                .Should().Equal("workflow:one-at-a-time");
        h.Recorded().Of<ExecutionStarted>().Should().NotContain(s => s.ExecutionId == second, "a queued execution has not started");

        h.Gates.For("work").Open.TrySetResult();
        await h.WaitForAsync(first, m => m.Succeeded);
        await h.WaitForAsync(second, m => m.Succeeded);
        await h.EventAsync<ExecutionStarted>(s => s.ExecutionId == second);
        var started = h.Recorded().Of<ExecutionStarted>();
        var firstEnd = h.Recorded().Of<ExecutionSucceeded>().Single(s => s.ExecutionId == first).FinishedAt;
        started.Single(s => s.ExecutionId == second).StartedAt.Should().BeOnOrAfter(firstEnd, "the second ran only after the first gave its slot back");
        await AssertNothingHeldAsync(h, definition);
    }

    [Fact]
    public async Task When_executions_wait_then_a_higher_priority_goes_first_and_equal_ones_in_order_of_arrival()
    {
        await using var h = await AdmissionEvents.StartRecordingAsync(null, database);
        var definition = Limited("ordered", 1);
        var holder = await h.StartAsync(definition);
        await h.Gates.For("work").Entered.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var low1 = await StartAsync(h, definition, priority: null);
        await h.WaitForAsync(low1, m => m.Queued);
        var low2 = await StartAsync(h, definition, priority: 0);
        await h.WaitForAsync(low2, m => m.Queued);
        var high = await StartAsync(h, definition, priority: 5);
        await h.WaitForAsync(high, m => m.Queued);

        h.Gates.For("work").Open.TrySetResult();
        foreach (var id in new[] { holder, low1, low2, high })
            await h.EventAsync<ExecutionStarted>(s => s.ExecutionId == id);

        h.Recorded().Of<ExecutionStarted>().OrderBy(s => s.StartedAt).Select(s => s.ExecutionId)
            .Should().Equal([holder, high, low1, low2], "priority first, then arrival");
    }

    [Fact]
    public async Task When_a_queued_execution_is_cancelled_then_it_leaves_the_queue_and_the_next_one_gets_the_slot()
    {
        await using var h = await AdmissionEvents.StartRecordingAsync(null, database);
        var definition = Limited("cancel-queued", 1);
        var holder = await h.StartAsync(definition);
        await h.Gates.For("work").Entered.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var cancelled = await h.StartAsync(definition);
        await h.WaitForAsync(cancelled, m => m.Queued);
        var next = await h.StartAsync(definition);
        await h.WaitForAsync(next, m => m.Queued);

        await h.PublishAsync(new CancelExecution { ExecutionId = cancelled, Reason = "not needed" });
        await h.WaitForAsync(cancelled, m => m.Cancelled);
        await using (var scope = h.Services.CreateAsyncScope())
            (await scope.ServiceProvider.GetRequiredService<IAdmissionStore>().WaitingForAsync(cancelled, CancellationToken.None)).Should().BeEmpty();

        h.Gates.For("work").Open.TrySetResult();
        await h.WaitForAsync(holder, m => m.Succeeded);
        await h.WaitForAsync(next, m => m.Succeeded);
        await h.EventAsync<ExecutionStarted>(s => s.ExecutionId == next);
        h.Recorded().Of<ExecutionStarted>().Should().NotContain(s => s.ExecutionId == cancelled);
        await AssertNothingHeldAsync(h, definition);
    }

    [Fact]
    public async Task When_a_global_limit_is_configured_then_executions_of_different_workflows_share_it()
    {
        await using var h = await AdmissionEvents.StartRecordingAsync(
            s => s.Configure<AdmissionOptions>(o => o.MaxConcurrentExecutions = 1), database);
        var holder = await h.StartAsync(Parse("""{ "id": "global-a", "nodes": [ { "id": "work", "type": "gate" } ] }"""));
        await h.Gates.For("work").Entered.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var other = await h.StartAsync(Parse("""{ "id": "global-b", "nodes": [ { "id": "quick", "type": "noop" } ] }"""));
        await h.WaitForAsync(other, m => m.Queued);
        (await h.EventAsync<ExecutionQueued>(q => q.ExecutionId == other)).WaitingFor.Should().Equal("executions");

        h.Gates.For("work").Open.TrySetResult();
        await h.WaitForAsync(holder, m => m.Succeeded);
        await h.WaitForAsync(other, m => m.Succeeded);
    }

    [Fact]
    public async Task When_no_limit_applies_then_admission_is_never_asked_and_nothing_is_queued()
    {
        var spy = new CountingAdmissionStore();
        await using var h = await AdmissionEvents.StartRecordingAsync(s => s.AddSingleton<IAdmissionStore>(spy), database);
        var id = await h.StartAsync(Parse("""{ "id": "unlimited", "nodes": [ { "id": "a", "type": "noop" }, { "id": "b", "type": "delay", "parameters": { "duration": "1ms" } } ], "connections": [ { "from": "a", "to": "b" } ] }"""));

        await h.WaitForAsync(id, m => m.Succeeded);
        // The class's tests share one database: a pass or sweep over what they left behind is not this execution's.
        spy.CallSubjects.Should().NotContain(s => s.Contains(id.ToString(), StringComparison.Ordinal) || s.Contains("unlimited", StringComparison.Ordinal),
            "a definition without limits costs no admission statement");
        h.SentSoFar<CheckAdmission>(m => m.LimitKeys.Any(k => k.Contains("unlimited", StringComparison.Ordinal))).Should().BeEmpty();
        h.Recorded().Of<ExecutionQueued>().Should().BeEmpty();
    }

    private static async Task<Guid> StartAsync(ExecutionHarness h, WorkflowDefinition definition, int? priority)
    {
        var id = NewId.NextGuid();
        await h.PublishAsync(new StartWorkflow { ExecutionId = id, Definition = definition, Priority = priority });
        return id;
    }

    // The class's tests share one database: only this test's limit is looked at.
    protected static async Task AssertNothingHeldAsync(ExecutionHarness h, WorkflowDefinition definition)
    {
        var key = ExecutionLimits.WorkflowKey(definition.Id);
        await using var scope = h.Services.CreateAsyncScope();
        var snapshot = await scope.ServiceProvider.GetRequiredService<IAdmissionStore>().SnapshotAsync(CancellationToken.None);
        snapshot.SlotsInUse.GetValueOrDefault(key).Should().Be(0, "every execution ended and gave its slot back");
        snapshot.QueuedPerLimit.GetValueOrDefault(key).Should().Be(0);
    }
}

public sealed class MemoryExecutionAdmissionTests(MemoryCoordinatorDatabase database) : ExecutionAdmissionTests<MemoryCoordinatorDatabase>(database);

public sealed class SqliteExecutionAdmissionTests(SqliteCoordinatorDatabase database) : ExecutionAdmissionTests<SqliteCoordinatorDatabase>(database);

public sealed class PostgresExecutionAdmissionTests(PostgresCoordinatorDatabase database) : ExecutionAdmissionTests<PostgresCoordinatorDatabase>(database);
