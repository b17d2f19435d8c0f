using System.Text.Json;
using Workflow.Messaging.Contracts;
using static Workflow.Messaging.Coordinator.Tests.Define;

namespace Workflow.Messaging.Coordinator.Tests;

public class ExecutionControlTests
{
    private static readonly WorkflowDefinition GateThenNext = Parse("""
        {
          "id": "gated",
          "nodes": [ { "id": "hold", "type": "gate" }, { "id": "next", "type": "set", "parameters": { "values": { "after": true } } } ],
          "connections": [ { "from": "hold", "to": "next" } ]
        }
        """);

    [Fact]
    public async Task Pause_with_a_node_in_flight_records_its_result_but_dispatches_nothing_until_resume()
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = await h.StartAsync(GateThenNext);
        await h.Gates.For("hold").Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await h.PublishAsync(new PauseExecution { ExecutionId = id });
        await h.WaitForAsync(id, m => m.Paused);
        h.Gates.For("hold").Open.SetResult();
        (await h.Harness.Consumed.Any<NodeSucceeded>(x => x.Context.Message.ExecutionId == id && x.Context.Message.NodeId == "hold")).Should().BeTrue();

        var paused = await h.WaitForAsync(id, m => m.Paused);
        paused.RuntimeJson.Should().Contain("\"next\":{\"s\":\"ready\"", "the result was recorded and next is ready but held");

        await h.PublishAsync(new ResumeExecution { ExecutionId = id });
        await h.WaitForAsync(id, m => m.Succeeded);
        (await h.OutputAsync(id, "next")).GetProperty("after").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task Cancel_with_a_node_in_flight_ends_cancelled_and_tells_workers_to_stop_it()
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = await h.StartAsync(GateThenNext);
        await h.Gates.For("hold").Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await h.PublishAsync(new CancelExecution { ExecutionId = id, Reason = "operator" });

        var cancelled = await h.WaitForAsync(id, m => m.Cancelled);
        cancelled.RuntimeJson.Should().Contain("\"next\":{\"s\":\"cancelled\"");
        (await h.Harness.Consumed.Any<CancelRunningNodes>(x => x.Context.Message.ExecutionId == id)).Should().BeTrue();
        (await h.Harness.Published.Any<NodeFailed>(x => x.Context.Message.ExecutionId == id && x.Context.Message.NodeId == "hold")).Should().BeTrue(
            "the worker cancelled the running attempt and reported it");
    }

    [Fact]
    public async Task Duplicate_and_stale_results_change_nothing()
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = await h.StartAsync(GateThenNext);
        await h.Gates.For("hold").Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var output = JsonSerializer.SerializeToElement(new { forged = true });

        // A result for an attempt that was never dispatched is stale.
        await h.PublishAsync(new NodeSucceeded { ExecutionId = id, NodeId = "hold", Attempt = 7, Output = output, Ports = ["main"], WorkerId = "ghost" });
        (await h.Harness.Consumed.Any<NodeSucceeded>(x => x.Context.Message.WorkerId == "ghost")).Should().BeTrue();
        var running = await h.WaitForAsync(id, m => m.Running);
        running.RuntimeJson.Should().Contain("\"hold\":{\"s\":\"running\"");

        h.Gates.For("hold").Open.SetResult();
        await h.WaitForAsync(id, m => m.Succeeded);

        // A duplicate of the real result, after the end, is ignored as well.
        await h.PublishAsync(new NodeSucceeded { ExecutionId = id, NodeId = "hold", Attempt = 1, Output = output, Ports = ["main"], WorkerId = "dup" });
        (await h.Harness.Consumed.Any<NodeSucceeded>(x => x.Context.Message.WorkerId == "dup")).Should().BeTrue();
        (await h.OutputAsync(id, "hold")).TryGetProperty("forged", out _).Should().BeFalse();
        h.Harness.Published.Select<ExecutionSucceeded>(x => x.Context.Message.ExecutionId == id).Should().HaveCount(1);
    }

    [Fact]
    public async Task A_second_StartWorkflow_with_the_same_id_is_not_a_second_execution()
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = Guid.NewGuid();
        var definition = Parse("""{ "id": "once", "nodes": [ { "id": "only", "type": "noop" } ] }""");

        await h.PublishAsync(new StartWorkflow { ExecutionId = id, Definition = definition });
        await h.WaitForAsync(id, m => m.Succeeded);
        await h.PublishAsync(new StartWorkflow { ExecutionId = id, Definition = definition });

        (await h.Harness.Consumed.Any<StartWorkflow>(x => x.Context.Message.ExecutionId == id)).Should().BeTrue();
        await h.Saga.Consumed.Any<StartWorkflow>(x => x.Context.Message.ExecutionId == id);
        h.Saga.Consumed.Select<StartWorkflow>(x => x.Context.Message.ExecutionId == id).Should().HaveCount(2);
        h.Harness.Published.Select<ExecutionStarted>(x => x.Context.Message.ExecutionId == id).Should().HaveCount(1);
    }

    [Fact]
    public async Task An_approval_waits_for_a_decision_and_continues_on_the_decided_port()
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = await h.StartAsync(Parse("""
            {
              "id": "approve",
              "nodes": [
                { "id": "ask", "type": "approval", "parameters": { "timeout": "1h" } },
                { "id": "ship", "type": "set", "parameters": { "values": { "shipped": "{{ $input.decidedBy }}" } } },
                { "id": "refund", "type": "noop" }
              ],
              "connections": [ { "from": "ask", "output": "approved", "to": "ship" }, { "from": "ask", "output": "rejected", "to": "refund" } ]
            }
            """));
        await h.Harness.Published.Any<ExecutionProgressed>(x => x.Context.Message.ExecutionId == id
            && x.Context.Message.Transitions.Any(t => t.NodeId == "ask" && t.Status == NodeStatus.Waiting));

        await h.PublishAsync(new SubmitDecision { ExecutionId = id, NodeId = "ask", Approved = true, DecidedBy = "alice" });

        var done = await h.WaitForAsync(id, m => m.Succeeded);
        (await h.OutputAsync(id, "ship")).GetProperty("shipped").GetString().Should().Be("alice");
        done.RuntimeJson.Should().Contain("\"refund\":{\"s\":\"skipped\"");
    }

    [Fact]
    public async Task An_approval_without_a_decision_fails_at_its_timeout()
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = await h.StartAsync(Parse("""
            { "id": "approve", "nodes": [ { "id": "ask", "type": "approval", "parameters": { "timeout": "100ms" } } ] }
            """));

        var failed = await h.WaitForAsync(id, m => m.Failed);

        failed.ErrorJson.Should().Contain("approval.timeout");
    }

    [Fact]
    public async Task A_wait_node_holds_no_worker_and_continues_after_its_timer()
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = await h.StartAsync(Parse("""
            {
              "id": "wait",
              "nodes": [ { "id": "pause", "type": "wait", "parameters": { "duration": "150ms" } }, { "id": "after", "type": "noop" } ],
              "connections": [ { "from": "pause", "to": "after" } ]
            }
            """), new { v = 1 });

        await h.WaitForAsync(id, m => m.Succeeded);

        (await h.Harness.Consumed.Any<WaitElapsed>(x => x.Context.Message.ExecutionId == id)).Should().BeTrue();
        h.Harness.Sent.Select<ExecuteNode>(x => x.Context.Message.ExecutionId == id).Should().BeEmpty("no worker ran the wait");
        (await h.OutputAsync(id, "after")).GetProperty("v").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task An_invalid_definition_is_rejected_with_every_problem_and_nothing_runs()
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = await h.StartAsync(Parse("""
            {
              "id": "bad",
              "nodes": [ { "id": "a", "type": "teleport" }, { "id": "b", "type": "noop" }, { "id": "c", "type": "noop" } ],
              "connections": [ { "from": "b", "to": "c" }, { "from": "c", "to": "b" }, { "from": "a", "to": "ghost" } ]
            }
            """));

        var rejected = await h.WaitForAsync(id, m => m.Rejected);

        var problems = h.Harness.Published.Select<ExecutionRejected>(x => x.Context.Message.ExecutionId == id).Single().Context.Message.Problems;
        problems.Select(p => p.Code).Should().Contain(["unknown-node-type", "cycle", "dangling-connection"]);
        problems.Should().OnlyContain(p => p.Path.StartsWith('$'));
        rejected.ErrorJson.Should().Contain("teleport");
        h.Harness.Sent.Select<ExecuteNode>(x => x.Context.Message.ExecutionId == id).Should().BeEmpty();
    }

    [Fact]
    public async Task Retrying_a_failed_execution_reruns_the_failed_node_and_keeps_earlier_outputs()
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = await h.StartAsync(Parse("""
            {
              "id": "retry-exec",
              "nodes": [
                { "id": "first", "type": "set", "parameters": { "values": { "n": 1 } } },
                { "id": "flaky", "type": "fail", "parameters": { "failTimes": 1 } }
              ],
              "connections": [ { "from": "first", "to": "flaky" } ]
            }
            """));
        await h.WaitForAsync(id, m => m.Failed);

        await h.PublishAsync(new RetryExecution { ExecutionId = id });

        await h.WaitForAsync(id, m => m.Succeeded);
        (await h.OutputAsync(id, "flaky")).GetProperty("n").GetInt32().Should().Be(1);
        h.Harness.Consumed.Select<ExecuteNode>(x => x.Context.Message.ExecutionId == id && x.Context.Message.NodeId == "flaky")
            .Select(x => x.Context.Message.Attempt).Should().BeEquivalentTo([1, 2]);
    }
}
