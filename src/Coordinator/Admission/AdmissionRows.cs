using Microsoft.EntityFrameworkCore;

namespace Workflow.Messaging.Coordinator.Admission;

/// <summary>
/// One unit of one limit. A limit of capacity N is the rows Slot 0..N-1 of its key, made when
/// first needed; a free slot has no holder. Claims take a free row with SKIP LOCKED, so claimers
/// of one hot limit take different rows instead of queueing on one counter.
/// </summary>
public sealed class LimitSlotRow
{
    public string LimitKey { get; set; } = "";
    public int Slot { get; set; }

    /// <summary>The execution holding the slot; null when free.</summary>
    public Guid? ExecutionId { get; set; }

    /// <summary>Within the execution, who holds it: empty for the execution itself, else the node attempt's idempotency key.</summary>
    public string? Holder { get; set; }

    public DateTime? HeldSince { get; set; }

    /// <summary>
    /// When the sweeper next checks that the holder is alive. For a rate limit's slot (no holder):
    /// when the period of the start that took it ends and it may be taken again.
    /// </summary>
    public DateTime? LeaseUntil { get; set; }
}

/// <summary>A queued execution or parked node attempt waiting for a limit: one row per (limit, holder).</summary>
public sealed class AdmissionWaitRow
{
    public string LimitKey { get; set; } = "";
    public Guid ExecutionId { get; set; }

    /// <summary>Empty for the execution itself, else the node attempt's idempotency key.</summary>
    public string Holder { get; set; } = "";

    /// <summary>For a parked attempt: the queue its ExecuteNode goes to once admitted.</summary>
    public string? Destination { get; set; }

    /// <summary>For a parked attempt: its ExecuteNode as JSON.</summary>
    public string? Payload { get; set; }

    /// <summary>The capacity this execution asks of the limit (its definition's, or the global option at the time it queued).</summary>
    public int Capacity { get; set; }

    /// <summary>For a rate limit: its period in milliseconds (null for a concurrency limit).</summary>
    public long? PeriodMs { get; set; }

    public int Priority { get; set; }
    public DateTime EnqueuedAt { get; set; }
}

/// <summary>
/// One row per limit key: what an admission pass locks (FOR UPDATE), so passes over one limit take
/// turns while passes over other limits, and every saga step, go on.
/// </summary>
public sealed class AdmissionLimitRow
{
    public string LimitKey { get; set; } = "";
    public DateTime LastPassAt { get; set; }

    /// <summary>For a rate: when a pass is already scheduled, so parked attempts do not each schedule one.</summary>
    public DateTime? WakeAt { get; set; }
}

public static class AdmissionModel
{
    public const string Slots = "workflow_admission_slots";
    public const string Waits = "workflow_admission_waits";
    public const string Limits = "workflow_admission_limits";
    public const int KeyLength = 300;

    public static ModelBuilder AddAdmission(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<LimitSlotRow>(entity =>
        {
            entity.ToTable(Slots);
            entity.HasKey(x => new { x.LimitKey, x.Slot });
            entity.Property(x => x.LimitKey).HasMaxLength(KeyLength);
            entity.Property(x => x.Holder).HasMaxLength(KeyLength);
            // Release finds an execution's slots by holder.
            entity.HasIndex(x => x.ExecutionId);
            entity.HasIndex(x => x.LeaseUntil);
        });
        modelBuilder.Entity<AdmissionWaitRow>(entity =>
        {
            entity.ToTable(Waits);
            entity.HasKey(x => new { x.LimitKey, x.ExecutionId, x.Holder });
            entity.Property(x => x.LimitKey).HasMaxLength(KeyLength);
            entity.Property(x => x.Holder).HasMaxLength(KeyLength);
            entity.Property(x => x.Destination).HasMaxLength(KeyLength);
            // A limit's queue in admission order.
            entity.HasIndex(x => new { x.LimitKey, x.Priority, x.EnqueuedAt });
            entity.HasIndex(x => x.ExecutionId);
        });
        modelBuilder.Entity<AdmissionLimitRow>(entity =>
        {
            entity.ToTable(Limits);
            entity.HasKey(x => x.LimitKey);
            entity.Property(x => x.LimitKey).HasMaxLength(KeyLength);
        });
        return modelBuilder;
    }
}
