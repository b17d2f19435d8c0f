using Workflow.Messaging.Bench.Baseline;

namespace Workflow.Messaging.Chaos.Tests;

/// <summary>
/// The bench's ceilings: what the targets are measured against, so their arithmetic is
/// checked here rather than trusted from a printed table.
/// </summary>
public sealed class BaselineCeilingTests
{
    [Fact]
    public void When_each_limit_is_measured_alone_then_the_ceiling_is_the_tighter_of_one_commit_and_two_messages_per_node()
    {
        new BaselineResult(4000, 6000, 2000, 3000).NodeCeilingPerSecond.Should().Be(3000);
        new BaselineResult(2000, 6000, 1000, 3000).NodeCeilingPerSecond.Should().Be(2000);
    }

    [Fact]
    public void When_side_by_side_each_gets_half_of_its_alone_rate_then_the_costs_of_a_node_add_up()
    {
        // 1 / (1/4000 + 2/6000) = 1714.3 node executions/s: a node's commit and its two messages
        // share the machine instead of each having it to itself.
        var baseline = new BaselineResult(4000, 6000, 2000, 3000);

        baseline.SharingFactor.Should().BeApproximately(1.0, 1e-9);
        baseline.NodeCeilingSharedPerSecond.Should().BeApproximately(12000.0 / 7, 1e-6);
        baseline.NodeCeilingSharedPerSecond.Should().BeLessThan(baseline.NodeCeilingPerSecond);
    }

    [Fact]
    public void When_side_by_side_neither_slows_the_other_then_the_shared_ceiling_is_the_ceiling_of_each_alone()
    {
        var baseline = new BaselineResult(4000, 6000, 4000, 6000);

        baseline.SharingFactor.Should().BeApproximately(2.0, 1e-9);
        baseline.NodeCeilingSharedPerSecond.Should().Be(baseline.NodeCeilingPerSecond);
    }

    [Fact]
    public void When_side_by_side_the_machine_carries_more_than_either_alone_then_the_shared_ceiling_lies_between()
    {
        // Three quarters of each: 1.5 x 1714.3 = 2571.4, below the 3000 of either alone.
        var baseline = new BaselineResult(4000, 6000, 3000, 4500);

        baseline.NodeCeilingSharedPerSecond.Should().BeApproximately(1.5 * 12000.0 / 7, 1e-6);
    }

    [Fact]
    public void When_a_limit_was_not_measured_then_there_is_no_shared_ceiling_rather_than_a_division_by_zero()
    {
        new BaselineResult(0, 6000, 0, 3000).NodeCeilingSharedPerSecond.Should().Be(0);
    }
}
