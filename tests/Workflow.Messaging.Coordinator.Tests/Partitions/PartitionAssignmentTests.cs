using Workflow.Messaging.Coordinator.Partitions;

namespace Workflow.Messaging.Coordinator.Tests.Partitions;

public sealed class PartitionAssignmentTests
{
    [Theory]
    [InlineData(1, 8)]
    [InlineData(2, 8)]
    [InlineData(3, 8)]
    [InlineData(5, 4)]
    public void Every_member_computes_shares_that_cover_each_partition_exactly_once_and_differ_in_size_by_at_most_one(int memberCount, int partitionCount)
    {
        var members = Enumerable.Range(0, memberCount).Select(i => $"host:{100 + i}:{i:x8}").ToList();
        var partitions = Enumerable.Range(0, partitionCount).ToList();

        // Each member sees the members in its own order: the answer must not depend on it.
        var shares = members.Select(m => PartitionAssignment.ShareOf(m, members.AsEnumerable().Reverse(), partitions)).ToList();

        shares.SelectMany(s => s).Order().Should().Equal(partitions, "each partition has exactly one holder");
        (shares.Max(s => s.Count) - shares.Min(s => s.Count)).Should().BeLessThanOrEqualTo(1);
    }

    [Fact]
    public void A_member_not_yet_seen_live_counts_itself_so_it_never_claims_everything_at_once()
    {
        var share = PartitionAssignment.ShareOf("b", ["a"], Enumerable.Range(0, 4));

        share.Should().HaveCount(2);
    }
}
