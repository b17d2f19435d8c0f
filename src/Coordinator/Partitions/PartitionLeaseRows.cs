using Microsoft.EntityFrameworkCore;

namespace Workflow.Messaging.Coordinator.Partitions;

/// <summary>One partition of the saga queue and the coordinator holding it, until <see cref="ExpiresAt"/> unless renewed.</summary>
public sealed class PartitionLeaseRow
{
    public int Partition { get; set; }

    /// <summary>The holder's member id; null when released.</summary>
    public string? Owner { get; set; }

    public DateTime ExpiresAt { get; set; }
}

/// <summary>A coordinator taking part in the partition assignment, alive until <see cref="ExpiresAt"/> unless renewed.</summary>
public sealed class CoordinatorMemberRow
{
    public string MemberId { get; set; } = "";

    public DateTime ExpiresAt { get; set; }
}

public static class PartitionLeaseModel
{
    public const int MemberIdLength = 200;

    public static ModelBuilder AddPartitionLeases(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<PartitionLeaseRow>(entity =>
        {
            entity.ToTable("workflow_partition_leases");
            entity.HasKey(x => x.Partition);
            entity.Property(x => x.Partition).ValueGeneratedNever();
            entity.Property(x => x.Owner).HasMaxLength(MemberIdLength);
        });
        modelBuilder.Entity<CoordinatorMemberRow>(entity =>
        {
            entity.ToTable("workflow_coordinator_members");
            entity.HasKey(x => x.MemberId);
            entity.Property(x => x.MemberId).HasMaxLength(MemberIdLength);
        });
        return modelBuilder;
    }
}
