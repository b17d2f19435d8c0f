using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Planning;
using static Workflow.Messaging.Engine.Tests.Planning.PlannerHarness;

namespace Workflow.Messaging.Engine.Tests.Planning;

public class ExecutionPlannerTests
{
    [Fact]
    public void A_linear_chain_runs_one_node_after_the_other_and_then_succeeds()
    {
        var h = new PlannerHarness(Define(["a", "b", "c"], ["a->b", "b->c"]));

        h.Start().Dispatched().Should().Equal("a");
        h.Succeed("a").Dispatched().Should().Equal("b");
        h.Succeed("b").Dispatched().Should().Equal("c");
        var last = h.Succeed("c");

        last.Outcome.Should().Be(ExecutionOutcome.Succeeded);
        h.Runtime.Nodes.Values.Should().OnlyContain(n => n.Status == NodeStatus.Succeeded);
    }

    [Fact]
    public void An_and_join_runs_only_after_both_parallel_branches_delivered()
    {
        var h = new PlannerHarness(Define(["a", "b", "c", "d"], ["a->b", "a->c", "b->d", "c->d"]));
        h.Start();

        h.Succeed("a").Dispatched().Should().BeEquivalentTo("b", "c");
        h.Succeed("b").Dispatched().Should().BeEmpty();
        h["d"].Should().Be(NodeStatus.Pending);
        h.Succeed("c").Dispatched().Should().Equal("d");
        h.Succeed("d").Outcome.Should().Be(ExecutionOutcome.Succeeded);
    }

    [Fact]
    public void A_branch_not_taken_is_skipped_and_the_join_after_the_if_runs_once()
    {
        var h = new PlannerHarness(Define(["check", "yes", "no", "after", "onlyNo"],
            ["check.true->yes", "check.false->no", "yes->after", "no->after", "no->onlyNo"]));
        h.Start();

        var step = h.Succeed("check", ports: "true");

        step.Dispatched().Should().Equal("yes");
        h["no"].Should().Be(NodeStatus.Skipped);
        h["onlyNo"].Should().Be(NodeStatus.Skipped);
        h["after"].Should().Be(NodeStatus.Pending, "the join still waits for the branch that was taken");
        h.Succeed("yes").Dispatched().Should().Equal("after");
        h.Succeed("after").Outcome.Should().Be(ExecutionOutcome.Succeeded);
    }

    [Fact]
    public void When_no_incoming_branch_delivers_the_join_is_skipped_too()
    {
        var h = new PlannerHarness(Define(["check", "yes", "after", "end"], ["check.true->yes", "yes->after", "after->end"]));
        h.Start();

        var step = h.Succeed("check", ports: "false");

        h["yes"].Should().Be(NodeStatus.Skipped);
        h["after"].Should().Be(NodeStatus.Skipped);
        h["end"].Should().Be(NodeStatus.Skipped);
        step.Outcome.Should().Be(ExecutionOutcome.Succeeded);
    }

    [Fact]
    public void An_any_join_runs_on_the_first_delivery_and_ignores_the_later_one()
    {
        var h = new PlannerHarness(Define(["a", "b", "c", "first"], ["a->b", "a->c", "b->first", "c->first"],
            n => n.Id == "first" ? n with { Join = new JoinPolicy { Mode = JoinMode.Any } } : n));
        h.Start();
        h.Succeed("a");

        h.Succeed("c").Dispatched().Should().Equal("first");
        h.Succeed("b").Dispatched().Should().BeEmpty("the any-join already ran");
        h.Succeed("first").Outcome.Should().Be(ExecutionOutcome.Succeeded);
    }

    [Fact]
    public void An_n_of_m_join_runs_at_n_deliveries_and_is_skipped_when_n_became_impossible()
    {
        var h = new PlannerHarness(Define(["s", "a", "b", "c", "quorum"], ["s->a", "s->b", "s->c", "a->quorum", "b->quorum", "c->quorum"],
            n => n.Id == "quorum" ? n with { Join = new JoinPolicy { Mode = JoinMode.NOfM, Count = 2 } } : n));
        h.Start();
        h.Succeed("s");

        h.Succeed("a").Dispatched().Should().BeEmpty();
        h.Succeed("b").Dispatched().Should().Equal("quorum");

        var impossible = new PlannerHarness(Define(["s", "a", "b", "c", "quorum"], ["s.x->a", "s.y->b", "s.y->c", "a->quorum", "b->quorum", "c->quorum"],
            n => n.Id == "quorum" ? n with { Join = new JoinPolicy { Mode = JoinMode.NOfM, Count = 3 } } : n));
        impossible.Start();
        impossible.Succeed("s", ports: "y");
        impossible["quorum"].Should().Be(NodeStatus.Skipped, "a was skipped, so three deliveries can no longer happen");
    }

    [Fact]
    public void A_fan_out_dispatches_one_instance_per_item_and_finishes_when_all_items_did()
    {
        var h = new PlannerHarness(Define(["load", "each", "sum"], ["load->each", "each->sum"],
            n => n.Id == "each" ? n with { FanOut = new FanOutDefinition { Items = "{{ $input }}" } } : n), countItems: _ => 3);
        h.Start();

        var step = h.Succeed("load");
        step.Dispatches.Select(d => d.ItemIndex).Should().Equal(0, 1, 2);

        h.Succeed("each", item: 2).CompletedFanOuts.Should().BeEmpty();
        h.Succeed("each", item: 0);
        var last = h.Succeed("each", item: 1);

        last.CompletedFanOuts.Should().Equal("each");
        last.Dispatched().Should().Equal("sum");
    }

    [Fact]
    public void A_fan_out_keeps_state_only_for_the_items_in_flight_however_many_items_it_has()
    {
        var h = new PlannerHarness(Define(["load", "each", "sum"], ["load->each", "each->sum"],
            n => n.Id == "each" ? n with { FanOut = new FanOutDefinition { Items = "{{ $input }}" } } : n, maxParallel: 4), countItems: _ => 1000);
        h.Start();
        var inFlight = new Queue<int>(h.Succeed("load").Dispatches.Select(d => d.ItemIndex!.Value));
        inFlight.Should().Equal(0, 1, 2, 3);
        var biggestRuntime = 0;
        var completed = new List<string>();

        while (inFlight.TryDequeue(out var item))
        {
            var step = h.Succeed("each", item: item);
            foreach (var next in step.Dispatches.Where(d => d.NodeId == "each"))
                inFlight.Enqueue(next.ItemIndex!.Value);
            completed.AddRange(step.CompletedFanOuts);
            h.Runtime["each"].Instances.Count.Should().BeLessThanOrEqualTo(4);
            biggestRuntime = Math.Max(biggestRuntime, System.Text.Json.JsonSerializer.Serialize(h.Runtime).Length);
        }

        completed.Should().Equal("each");
        h["each"].Should().Be(NodeStatus.Succeeded);
        h.Runtime["each"].ItemsSucceeded.Should().Be(1000);
        h.Runtime["each"].TotalItems.Should().Be(1000);
        biggestRuntime.Should().BeLessThan(2_000, "the runtime holds the items in flight, not all 1000");
        h.Succeed("each", item: 999).Accepted.Should().BeFalse("a repeated result of a succeeded item is stale");
    }

    [Fact]
    public void A_fan_out_stored_with_every_instance_made_up_front_still_finishes()
    {
        // The runtime shape written before items got their instances lazily (no ItemCount).
        var h = new PlannerHarness(Define(["each", "sum"], ["each->sum"],
            n => n.Id == "each" ? n with { FanOut = new FanOutDefinition { Items = "{{ $input }}" } } : n), countItems: _ => 2);
        h.Start();
        var each = h.Runtime["each"];
        each.ItemCount = null;
        each.NextItem = 0;
        each.Instances.Should().HaveCount(2);

        h.Succeed("each", item: 1).CompletedFanOuts.Should().BeEmpty();
        var last = h.Succeed("each", item: 0);

        last.CompletedFanOuts.Should().Equal("each");
        each.TotalItems.Should().Be(2);
        last.Dispatched().Should().Equal("sum");
    }

    [Fact]
    public void A_cancelled_fan_out_retried_runs_the_items_it_had_not_finished()
    {
        var h = new PlannerHarness(Define(["each"], [],
            n => n with { FanOut = new FanOutDefinition { Items = "{{ $input }}" } }, maxParallel: 2), countItems: _ => 5);
        h.Start();
        h.Succeed("each", item: 0);
        h.Planner.Cancel(h.Runtime, h.Now);
        h["each"].Should().Be(NodeStatus.Cancelled);

        var retry = h.Planner.RetryExecution(h.Runtime, h.Now);

        retry.Dispatches.Select(d => (d.ItemIndex, d.Attempt)).Should().Equal((1, 2), (2, 2));
        var dispatched = new List<int>();
        var queue = new Queue<InstanceRef>(retry.Dispatches);
        ExecutionOutcome? outcome = null;
        while (queue.TryDequeue(out var next))
        {
            dispatched.Add(next.ItemIndex!.Value);
            var step = h.Succeed(next, [OutputPorts.Main]);
            foreach (var more in step.Dispatches)
                queue.Enqueue(more);
            outcome ??= step.Outcome;
        }
        dispatched.Should().Equal(1, 2, 3, 4);
        outcome.Should().Be(ExecutionOutcome.Succeeded);
        h.Runtime["each"].ItemsSucceeded.Should().Be(5);
    }

    [Fact]
    public void A_fan_out_over_no_items_succeeds_at_once()
    {
        var h = new PlannerHarness(Define(["load", "each", "sum"], ["load->each", "each->sum"],
            n => n.Id == "each" ? n with { FanOut = new FanOutDefinition { Items = "{{ $input }}" } } : n), countItems: _ => 0);
        h.Start();

        var step = h.Succeed("load");

        step.CompletedFanOuts.Should().Equal("each");
        step.Dispatched().Should().Equal("sum");
    }

    [Fact]
    public void A_retryable_failure_is_retried_after_exponential_backoff_and_stale_results_are_ignored()
    {
        var h = new PlannerHarness(Define(["a"], [], n => n with
        {
            Retry = new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.FromSeconds(1), BackoffMultiplier = 2, Jitter = 0.5 },
        }));
        h.Start();

        h.Fail("a").Retries.Should().Equal(new ScheduledRetry("a", null, 2, TimeSpan.FromSeconds(1)));
        h["a"].Should().Be(NodeStatus.RetryScheduled);
        h.RetryDue("a", 2).Dispatches.Should().Equal(new InstanceRef("a", null, 2));

        h.Succeed("a", attempt: 1).Accepted.Should().BeFalse("attempt 1 was given up on");
        h.Fail("a", attempt: 2).Retries.Single().Delay.Should().Be(TimeSpan.FromSeconds(2));
        h.RetryDue("a", 2).Accepted.Should().BeFalse("that timer is stale");
        h.RetryDue("a", 3);

        h.Succeed("a", attempt: 3).Outcome.Should().Be(ExecutionOutcome.Succeeded);
    }

    [Fact]
    public void A_duplicate_result_is_not_accepted_twice()
    {
        var h = new PlannerHarness(Define(["a", "b"], ["a->b"]));
        h.Start();
        h.Succeed("a").Dispatched().Should().Equal("b");

        var duplicate = h.Succeed("a");

        duplicate.Accepted.Should().BeFalse();
        duplicate.Dispatches.Should().BeEmpty();
    }

    [Fact]
    public void A_fatal_failure_is_not_retried_and_stops_the_workflow_cancelling_the_rest()
    {
        var h = new PlannerHarness(Define(["s", "a", "b", "c"], ["s->a", "s->b", "b->c"],
            n => n with { Retry = new RetryPolicy { MaxAttempts = 5 } }));
        h.Start();
        h.Succeed("s");

        var step = h.Fail("a", retryable: false);

        step.Retries.Should().BeEmpty();
        step.Outcome!.Status.Should().Be(ExecutionStatus.Failed);
        step.Outcome.FailedNodeId.Should().Be("a");
        h["b"].Should().Be(NodeStatus.Cancelled);
        h["c"].Should().Be(NodeStatus.Cancelled);
        h.Succeed("b").Accepted.Should().BeFalse("results after the end are ignored");
    }

    [Theory]
    [InlineData(ErrorStrategy.StopWorkflow, ExecutionStatus.Failed, NodeStatus.Cancelled, NodeStatus.Cancelled)]
    [InlineData(ErrorStrategy.ContinueRegularOutput, ExecutionStatus.Succeeded, NodeStatus.Succeeded, NodeStatus.Skipped)]
    [InlineData(ErrorStrategy.ContinueErrorOutput, ExecutionStatus.Succeeded, NodeStatus.Skipped, NodeStatus.Succeeded)]
    public void When_retries_are_exhausted_the_error_strategy_decides(ErrorStrategy strategy, ExecutionStatus outcome, NodeStatus regular, NodeStatus handler)
    {
        var h = new PlannerHarness(Define(["a", "next", "handler"], ["a->next", "a.error->handler"],
            n => n.Id == "a" ? n with { OnError = strategy, Retry = new RetryPolicy { MaxAttempts = 2 } } : n));
        h.Start();
        h.Fail("a");
        h.RetryDue("a", 2);

        var step = h.Fail("a", attempt: 2);
        if (strategy != ErrorStrategy.StopWorkflow)
            step.ErrorOutputs.Should().Equal(new InstanceRef("a", null, 2));
        foreach (var dispatched in step.Dispatched().ToList())
            step = h.Succeed(dispatched);

        step.Outcome!.Status.Should().Be(outcome);
        h["a"].Should().Be(NodeStatus.Failed);
        h["next"].Should().Be(regular);
        h["handler"].Should().Be(handler);
    }

    [Fact]
    public void No_more_than_max_parallel_instances_run_at_once()
    {
        var h = new PlannerHarness(Define(["s", "a", "b", "c"], ["s->a", "s->b", "s->c"], maxParallel: 2));
        h.Start();

        h.Succeed("s").Dispatched().Should().Equal("a", "b");
        h.Succeed("a").Dispatched().Should().Equal("c");
    }

    [Fact]
    public void While_paused_ready_nodes_wait_and_resume_dispatches_them()
    {
        var h = new PlannerHarness(Define(["a", "b"], ["a->b"]));
        h.Start();

        var paused = h.Succeed(new InstanceRef("a", null, 1), [OutputPorts.Main], dispatch: false);

        paused.Dispatches.Should().BeEmpty();
        paused.Outcome.Should().BeNull();
        h["b"].Should().Be(NodeStatus.Ready);
        h.Planner.Resume(h.Runtime, h.Now).Dispatched().Should().Equal("b");
    }

    [Fact]
    public void Wait_nodes_are_held_without_using_a_dispatch_slot()
    {
        var h = new PlannerHarness(Define(["s", "pause:wait", "work"], ["s->pause", "s->work"], maxParallel: 1));
        h.Start();

        var step = h.Succeed("s");

        step.Dispatched().Should().BeEquivalentTo("pause", "work");
        h["pause"].Should().Be(NodeStatus.Waiting);
        h["work"].Should().Be(NodeStatus.Running);
    }

    [Fact]
    public void A_running_node_whose_lease_ran_out_is_failed_retryably()
    {
        var h = new PlannerHarness(Define(["a"], [], n => n with { Timeout = TimeSpan.FromSeconds(10), Retry = new RetryPolicy { MaxAttempts = 2 } }));
        h.Start();
        var deadline = ExecutionPlanner.NextLeaseDeadline(h.Runtime)!.Value;

        h.Planner.ExpireLeases(h.Runtime, deadline.AddSeconds(-1)).Accepted.Should().BeFalse();
        h.Planner.ExtendLease(h.Runtime, new InstanceRef("a", null, 1), deadline.AddMinutes(1)).Should().BeTrue();
        h.Planner.ExpireLeases(h.Runtime, deadline.AddSeconds(1)).Accepted.Should().BeFalse("the heartbeat extended it");

        var expired = h.Planner.ExpireLeases(h.Runtime, deadline.AddMinutes(2));

        expired.Retries.Should().ContainSingle().Which.Attempt.Should().Be(2);
        h.Runtime["a"].Instances[0].LastError!.Code.Should().Be("lease.expired");
    }

    [Fact]
    public void A_silent_running_attempt_is_dispatched_again_as_the_same_attempt_with_a_fresh_lease()
    {
        var h = new PlannerHarness(Define(["a"], []));
        h.Start();
        var firstLease = h.Runtime["a"].Instances[0].LeaseUntil!.Value;
        var later = h.Now.AddMinutes(1);

        var again = h.Planner.RedispatchSilent(h.Runtime, new InstanceRef("a", null, 1), later);

        again.Accepted.Should().BeTrue();
        again.Dispatches.Should().Equal(new InstanceRef("a", null, 1));
        again.Transitions.Should().BeEmpty("the attempt was running and still is");
        h.Runtime["a"].Instances[0].LeaseUntil.Should().Be(firstLease.AddMinutes(1), "the lease starts over from the re-dispatch");
    }

    [Fact]
    public void A_silent_notice_for_an_attempt_that_is_no_longer_running_is_stale()
    {
        var h = new PlannerHarness(Define(["a", "b"], ["a->b"]));
        h.Start();
        h.Succeed("a");

        h.Planner.RedispatchSilent(h.Runtime, new InstanceRef("a", null, 1), h.Now).Accepted.Should().BeFalse("a already succeeded");
        h.Planner.RedispatchSilent(h.Runtime, new InstanceRef("b", null, 2), h.Now).Accepted.Should().BeFalse("b runs attempt 1, not 2");
    }

    [Fact]
    public void Retrying_a_failed_execution_reruns_failed_and_cancelled_nodes_and_keeps_successes()
    {
        var h = new PlannerHarness(Define(["a", "b", "c"], ["a->b", "b->c"]));
        h.Start();
        h.Succeed("a");
        h.Fail("b", retryable: false).Outcome!.Status.Should().Be(ExecutionStatus.Failed);

        var retry = h.Planner.RetryExecution(h.Runtime, h.Now);

        retry.Dispatches.Should().Equal(new InstanceRef("b", null, 2));
        h["a"].Should().Be(NodeStatus.Succeeded);
        h["c"].Should().Be(NodeStatus.Pending);
        h.Succeed("b", attempt: 2).Dispatched().Should().Equal("c");
        h.Succeed("c").Outcome.Should().Be(ExecutionOutcome.Succeeded);
    }
}
