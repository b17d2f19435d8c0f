using System.Text.Json;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Workflow.Messaging.Integration.Tests;

[Collection(FleetCollection.Name)]
public sealed class FleetTests(Fleet fleet, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan ExecutionTimeout = TimeSpan.FromSeconds(60);

    public Task InitializeAsync() => fleet.EnsureRunning();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task When_a_workflow_has_parallel_branches_then_both_workers_run_them()
    {
        string[] branches = ["a", "b", "c", "d"];
        var executionId = await fleet.Observer.Start(Workflows.ParallelBranches(branches));

        await Succeeded(executionId);

        var ranBy = fleet.Observer.Recorded<NodeSucceeded>(s => s.ExecutionId == executionId && branches.Contains(s.NodeId))
            .ToDictionary(s => s.NodeId, s => s.WorkerId);
        foreach (var (node, worker) in ranBy.OrderBy(r => r.Key))
            output.WriteLine($"{node} ran on {worker}");
        ranBy.Keys.Should().BeEquivalentTo(branches);
        ranBy.Values.Distinct().Should().BeEquivalentTo(Fleet.WorkerIds, "each worker runs one attempt at a time, so the four branches spread over both");
    }

    [Fact]
    public async Task When_the_worker_running_a_node_is_killed_then_the_node_is_redelivered_and_the_execution_succeeds()
    {
        var executionId = await fleet.Observer.Start(Workflows.Delay("slow", "4s"));
        var started = await fleet.Observer.WaitFor<NodeStarted>(s => s.ExecutionId == executionId, ExecutionTimeout, "a worker started the slow node");

        await fleet.KillWorker(started.WorkerId);
        output.WriteLine($"killed {started.WorkerId} (kill -9) while it ran 'slow'");
        await Succeeded(executionId);

        var succeeded = fleet.Observer.Recorded<NodeSucceeded>(s => s.ExecutionId == executionId).Single();
        output.WriteLine($"'slow' then ran on {succeeded.WorkerId}");
        succeeded.WorkerId.Should().NotBe(started.WorkerId);
        succeeded.Attempt.Should().Be(started.Attempt, "the broker redelivered the same attempt; no retry was spent on the lost worker");
    }

    [Fact]
    public async Task When_no_worker_ever_answers_a_node_then_the_coordinators_lease_sweep_fails_it_at_its_lease()
    {
        var executionId = await fleet.Observer.Start(Workflows.Unconsumed("unanswered"));

        // Lease: 1 s timeout + the fleet's 15 s grace; found by the sweep (every second), not a timer.
        var failed = await fleet.Observer.WaitFor<ExecutionFailed>(f => f.ExecutionId == executionId, ExecutionTimeout, "the lease of the unanswered node ran out");

        failed.FailedNodeId.Should().Be("unanswered");
        failed.Error.Code.Should().Be("lease.expired");
        var started = fleet.Observer.Recorded<ExecutionStarted>(s => s.ExecutionId == executionId).Single();
        (failed.FinishedAt - started.StartedAt).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(16), "nothing gives up on a node before its lease");
    }

    [Fact]
    public async Task When_a_malformed_message_reaches_a_worker_queue_then_it_lands_in_the_error_queue_with_its_reason_and_the_workers_go_on()
    {
        const string garbage = """{"messageType": ["urn:message:Workflow.Messaging.Contracts:ExecuteNode"], "message": {"executionId": """;
        var errorQueue = Fleet.WorkerQueue + "_error";

        await fleet.Broker.PublishRaw(fleet.VirtualHost, Fleet.WorkerQueue, garbage, "application/vnd.masstransit+json");

        QueuedMessage? faulted = null;
        await Eventually.Holds(async () => (faulted = await fleet.Broker.Take(fleet.VirtualHost, errorQueue)) is not null,
            ExecutionTimeout, $"the malformed message is in {errorQueue}");
        output.WriteLine(string.Join("\n", faulted!.Properties.Headers.Select(h => $"{h.Key}: {h.Value}")));
        faulted.Payload.Should().Be(garbage);
        faulted.Properties.Headers.Should().ContainKey("MT-Fault-ExceptionType");
        faulted.Properties.Headers["MT-Fault-Message"].GetString().Should().NotBeNullOrWhiteSpace();

        var executionId = await fleet.Observer.Start(Workflows.Delay("after-garbage", "10ms"));
        await Succeeded(executionId);
        (await BrokerManagement.Consumers(fleet.VirtualHost, Fleet.WorkerQueue)).Should().Be(Fleet.WorkerIds.Length, "no worker died of the message");
    }

    [Fact]
    public async Task When_RabbitMQ_restarts_while_executions_run_then_they_all_complete()
    {
        var executions = new List<Guid>();
        for (var i = 0; i < 4; i++)
            // Two seconds a node: workers announce an attempt (NodeStarted) after it has run for one.
            executions.Add(await fleet.Observer.Start(Workflows.TwoSteps("2s")));
        await fleet.Observer.WaitFor<NodeStarted>(s => executions.Contains(s.ExecutionId), ExecutionTimeout, "a node of the executions is running");

        await BrokerManagement.RestartBroker();
        output.WriteLine("RabbitMQ restarted (stop_app, start_app)");

        foreach (var executionId in executions)
            await Succeeded(executionId, TimeSpan.FromSeconds(90));
    }

    private async Task<ExecutionSucceeded> Succeeded(Guid executionId, TimeSpan? timeout = null)
    {
        try
        {
            return await fleet.Observer.Succeeded(executionId, timeout ?? ExecutionTimeout);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            output.WriteLine(fleet.Logs());
            throw;
        }
    }
}
