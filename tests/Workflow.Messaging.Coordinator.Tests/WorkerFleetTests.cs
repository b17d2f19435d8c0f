using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Worker;
using static Workflow.Messaging.Coordinator.Tests.Define;

namespace Workflow.Messaging.Coordinator.Tests;

public class WorkerFleetTests
{
    [Fact]
    public async Task A_node_runs_on_the_queue_of_its_worker_pool()
    {
        await using var h = await ExecutionHarness.StartAsync(s => s.Configure<WorkerOptions>(o => o.Pools = ["default", "slow-io"]));
        var id = await h.StartAsync(Parse("""
            { "id": "pools", "nodes": [ { "id": "io", "type": "delay", "pool": "slow-io", "parameters": { "duration": "1ms" } } ] }
            """));

        await h.WaitForAsync(id, m => m.Succeeded);

        var sent = h.Harness.Sent.Select<ExecuteNode>(x => x.Context.Message.ExecutionId == id).Single();
        sent.Context.DestinationAddress!.AbsolutePath.Should().EndWith("node-pool-slow-io");
    }

    [Fact]
    public async Task A_node_whose_worker_stays_silent_fails_when_its_lease_runs_out_and_is_retried()
    {
        // Nothing consumes the "nowhere" pool: the attempt is lost exactly as if its worker died.
        await using var h = await ExecutionHarness.StartAsync(s => s.Configure<CoordinatorOptions>(o => o.LeaseGrace = TimeSpan.FromMilliseconds(200)));
        var id = await h.StartAsync(Parse("""
            {
              "id": "lease",
              "nodes": [ { "id": "lost", "type": "delay", "pool": "nowhere", "timeout": "100ms",
                           "parameters": { "duration": "1ms" }, "retry": { "maxAttempts": 2, "initialDelay": "10ms" } } ]
            }
            """));

        var failed = await h.WaitForAsync(id, m => m.Failed);

        failed.ErrorJson.Should().Contain("lease.expired");
        h.Harness.Sent.Select<ExecuteNode>(x => x.Context.Message.ExecutionId == id).Select(x => x.Context.Message.Attempt)
            .Should().BeEquivalentTo([1, 2], "the first expiry was retried, the second ended the node");
    }
}
