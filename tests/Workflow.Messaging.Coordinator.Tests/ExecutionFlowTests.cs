using System.Text.Json;
using Workflow.Messaging.Contracts;
using static Workflow.Messaging.Coordinator.Tests.Define;

namespace Workflow.Messaging.Coordinator.Tests;

public class ExecutionFlowTests
{
    [Fact]
    public async Task A_linear_chain_runs_in_order_and_passes_outputs_along()
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = await h.StartAsync(Parse("""
            {
              "id": "chain",
              "nodes": [
                { "id": "first", "type": "set", "parameters": { "values": { "n": "{{ $input.start }}" } } },
                { "id": "second", "type": "noop" },
                { "id": "third", "type": "set", "parameters": { "values": { "seen": "{{ $input.n }}", "from": "{{ $node.first.output.n }}" } } }
              ],
              "connections": [ { "from": "first", "to": "second" }, { "from": "second", "to": "third" } ]
            }
            """), new { start = 7 });

        var done = await h.WaitForAsync(id, m => m.Succeeded);

        var third = await h.OutputAsync(id, "third");
        third.GetProperty("seen").GetInt32().Should().Be(7);
        third.GetProperty("from").GetInt32().Should().Be(7);
        done.FinalStatus.Should().Be(ExecutionStatus.Succeeded);
        (await h.Harness.Published.Any<ExecutionSucceeded>(x => x.Context.Message.ExecutionId == id)).Should().BeTrue();
    }

    [Fact]
    public async Task A_parallel_split_joins_both_branches_before_the_join_runs()
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = await h.StartAsync(Parse("""
            {
              "id": "split",
              "nodes": [
                { "id": "start", "type": "noop" },
                { "id": "left", "type": "set", "parameters": { "values": { "side": "left" } } },
                { "id": "right", "type": "delay", "parameters": { "duration": "50ms" } },
                { "id": "join", "type": "merge" }
              ],
              "connections": [
                { "from": "start", "to": "left" }, { "from": "start", "to": "right" },
                { "from": "left", "to": "join" }, { "from": "right", "to": "join" }
              ]
            }
            """), new { side = "input" });

        await h.WaitForAsync(id, m => m.Succeeded);

        var join = await h.OutputAsync(id, "join");
        join.GetProperty("left").GetProperty("side").GetString().Should().Be("left");
        join.GetProperty("right").GetProperty("side").GetString().Should().Be("input");
    }

    [Fact]
    public async Task An_if_skips_the_branch_not_taken_and_the_join_after_it_still_runs()
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = await h.StartAsync(Parse("""
            {
              "id": "if",
              "nodes": [
                { "id": "check", "type": "if", "parameters": { "conditions": [ { "left": "{{ $input.amount }}", "operator": "gt", "right": 100 } ] } },
                { "id": "big", "type": "set", "parameters": { "values": { "size": "big" } } },
                { "id": "small", "type": "set", "parameters": { "values": { "size": "small" } } },
                { "id": "after", "type": "noop" }
              ],
              "connections": [
                { "from": "check", "output": "true", "to": "big" }, { "from": "check", "output": "false", "to": "small" },
                { "from": "big", "to": "after" }, { "from": "small", "to": "after" }
              ]
            }
            """), new { amount = 250 });

        var done = await h.WaitForAsync(id, m => m.Succeeded);

        (await h.OutputAsync(id, "after")).GetProperty("size").GetString().Should().Be("big");
        done.RuntimeJson.Should().Contain("\"small\":{\"s\":\"skipped\"");
    }

    [Fact]
    public async Task An_any_join_runs_once_on_the_first_branch()
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = await h.StartAsync(Parse("""
            {
              "id": "any",
              "nodes": [
                { "id": "start", "type": "noop" },
                { "id": "fast", "type": "set", "parameters": { "values": { "who": "fast" } } },
                { "id": "slow", "type": "gate" },
                { "id": "first", "type": "noop", "join": { "mode": "any" } }
              ],
              "connections": [
                { "from": "start", "to": "fast" }, { "from": "start", "to": "slow" },
                { "from": "fast", "to": "first" }, { "from": "slow", "to": "first" }
              ]
            }
            """));

        await h.Gates.For("slow").Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await h.Harness.Published.Any<ExecutionProgressed>(x => x.Context.Message.ExecutionId == id
            && x.Context.Message.Transitions.Any(t => t.NodeId == "first" && t.Status == NodeStatus.Succeeded));
        h.Gates.For("slow").Open.SetResult();

        await h.WaitForAsync(id, m => m.Succeeded);
        (await h.OutputAsync(id, "first")).GetProperty("who").GetString().Should().Be("fast");
    }

    [Fact]
    public async Task A_fan_out_runs_one_instance_per_item_and_joins_outputs_in_item_order()
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = await h.StartAsync(Parse("""
            {
              "id": "fanout",
              "nodes": [
                { "id": "each", "type": "delay", "fanOut": { "items": "{{ $input.orders }}" },
                  "parameters": { "duration": "{{ $item.wait }}" } },
                { "id": "label", "type": "set", "fanOut": { "items": "{{ $input }}" },
                  "parameters": { "values": { "order": "{{ $item.id }}", "index": "{{ $itemIndex }}" } } }
              ],
              "connections": [ { "from": "each", "to": "label" } ]
            }
            """), new { orders = new[] { new { id = "a", wait = "60ms" }, new { id = "b", wait = "1ms" }, new { id = "c", wait = "30ms" } } });

        await h.WaitForAsync(id, m => m.Succeeded);

        var labels = (await h.OutputAsync(id, "label")).EnumerateArray().ToList();
        labels.Select(l => l.GetProperty("order").GetString()).Should().Equal("a", "b", "c");
        labels.Select(l => l.GetProperty("index").GetInt32()).Should().Equal(0, 1, 2);
    }

    [Fact]
    public async Task A_node_that_fails_twice_then_succeeds_is_retried_with_backoff()
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = await h.StartAsync(Parse("""
            {
              "id": "retry",
              "nodes": [
                { "id": "flaky", "type": "fail", "parameters": { "failTimes": 2, "retryable": true },
                  "retry": { "maxAttempts": 3, "initialDelay": "50ms", "backoffMultiplier": 2, "jitter": 0 } }
              ]
            }
            """), new { ok = true });

        await h.WaitForAsync(id, m => m.Succeeded);

        var failures = h.Harness.Consumed.Select<NodeFailed>(x => x.Context.Message.ExecutionId == id).Select(x => x.Context.Message.Attempt);
        failures.Should().BeEquivalentTo([1, 2]);
        var retriesDue = h.Harness.Consumed.Select<NodeRetryDue>(x => x.Context.Message.ExecutionId == id).Select(x => x.Context.Message.Attempt);
        retriesDue.Should().BeEquivalentTo([2, 3]);
        (await h.OutputAsync(id, "flaky")).GetProperty("ok").GetBoolean().Should().BeTrue();
    }

    [Theory]
    [InlineData("stopWorkflow", "failed", null, null)]
    [InlineData("continueRegularOutput", "succeeded", "next", null)]
    [InlineData("continueErrorOutput", "succeeded", null, "handler")]
    public async Task When_retries_are_exhausted_the_error_strategy_decides(string strategy, string outcome, string? ran, string? handled)
    {
        await using var h = await ExecutionHarness.StartAsync();
        // An error connection is only valid where the error output can be taken.
        var errorEdge = strategy == "continueErrorOutput" ? """, { "from": "broken", "output": "error", "to": "handler" }""" : "";
        var handlerEdge = strategy == "continueErrorOutput" ? "" : """, { "from": "next", "to": "handler" }""";
        var id = await h.StartAsync(Parse($$"""
            {
              "id": "strategy",
              "nodes": [
                { "id": "broken", "type": "fail", "onError": "{{strategy}}", "parameters": { "retryable": true, "message": "boom" },
                  "retry": { "maxAttempts": 2, "initialDelay": "10ms", "jitter": 0 } },
                { "id": "next", "type": "noop" },
                { "id": "handler", "type": "noop" }
              ],
              "connections": [ { "from": "broken", "to": "next" }{{errorEdge}}{{handlerEdge}} ]
            }
            """));

        var done = outcome == "failed" ? await h.WaitForAsync(id, m => m.Failed) : await h.WaitForAsync(id, m => m.Succeeded);

        if (outcome == "failed")
        {
            done.FailedNodeId.Should().Be("broken");
            done.ErrorJson.Should().Contain("boom");
            (await h.Harness.Published.Any<ExecutionFailed>(x => x.Context.Message.ExecutionId == id)).Should().BeTrue();
        }
        foreach (var node in new[] { ran, handled }.OfType<string>())
            (await h.OutputAsync(id, node)).GetProperty("error").GetProperty("message").GetString().Should().Be("boom");
        (await h.Harness.Consumed.Any<NodeFailed>(x => x.Context.Message.ExecutionId == id && x.Context.Message.Attempt == 2)).Should().BeTrue();
    }

    [Fact]
    public async Task A_node_that_runs_past_its_timeout_fails_with_a_timeout_error()
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = await h.StartAsync(Parse("""
            { "id": "timeout", "nodes": [ { "id": "slow", "type": "gate", "timeout": "100ms" } ] }
            """));

        var done = await h.WaitForAsync(id, m => m.Failed);

        done.ErrorJson.Should().Contain("timeout");
    }

    [Fact]
    public async Task A_failed_execution_with_no_attempt_left_running_sends_workers_no_stop_broadcast()
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = await h.StartAsync(Parse("""
            {
              "id": "failed-alone",
              "nodes": [ { "id": "first", "type": "delay", "parameters": { "duration": "10ms" } }, { "id": "broken", "type": "fail", "parameters": { "message": "boom" } } ],
              "connections": [ { "from": "first", "to": "broken" } ]
            }
            """));

        await h.WaitForAsync(id, m => m.Failed);
        await h.Harness.InactivityTask;

        (await h.Harness.Published.Any<ExecutionFailed>(x => x.Context.Message.ExecutionId == id)).Should().BeTrue();
        h.Harness.Published.Select<CancelRunningNodes>(x => x.Context.Message.ExecutionId == id).Should().BeEmpty(
            "every attempt had reported when the execution failed, and every worker instance would hear the broadcast");
    }

    [Fact]
    public async Task A_branch_that_fails_ends_the_execution_and_workers_are_told_to_stop_the_other_branch()
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = await h.StartAsync(Parse("""
            {
              "id": "fail-while-running",
              "nodes": [
                { "id": "hold", "type": "gate" },
                { "id": "broken", "type": "fail", "parameters": { "message": "boom" } }
              ]
            }
            """));
        await h.Gates.For("hold").Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var failed = await h.WaitForAsync(id, m => m.Failed);

        failed.FailedNodeId.Should().Be("broken");
        (await h.Harness.Published.Any<CancelRunningNodes>(x => x.Context.Message.ExecutionId == id)).Should().BeTrue(
            "the gate's attempt still runs on a worker when the other branch fails");
        (await h.Harness.Published.Any<NodeFailed>(x => x.Context.Message.ExecutionId == id && x.Context.Message.NodeId == "hold")).Should().BeTrue(
            "the worker cancelled the running attempt and reported it");
    }

    [Fact]
    public async Task An_execution_past_its_deadline_ends_timed_out_and_workers_are_told_to_stop()
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = await h.StartAsync(Parse("""
            { "id": "deadline", "settings": { "executionTimeout": "200ms" }, "nodes": [ { "id": "hold", "type": "gate" } ] }
            """));

        await h.WaitForAsync(id, m => m.TimedOut);

        (await h.Harness.Published.Any<ExecutionTimedOut>(x => x.Context.Message.ExecutionId == id)).Should().BeTrue();
        (await h.Harness.Published.Any<CancelRunningNodes>(x => x.Context.Message.ExecutionId == id)).Should().BeTrue();
        await h.Gates.For("hold").Entered.Task;
    }
}
