namespace Workflow.Messaging.Coordinator.Partitions;

/// <summary>
/// Which partitions a member should hold: the partitions in order, dealt round-robin over the live
/// members in order of their ids. Every coordinator computes the same answer from the same view, so
/// each releases what is no longer its share and claims what is, with no coordinator in charge.
/// </summary>
public static class PartitionAssignment
{
    public static IReadOnlySet<int> ShareOf(string member, IEnumerable<string> liveMembers, IEnumerable<int> partitions)
    {
        var members = liveMembers.Append(member).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var index = members.IndexOf(member);
        return partitions.Order().Where((_, position) => position % members.Count == index).ToHashSet();
    }
}
