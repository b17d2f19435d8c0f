using Microsoft.EntityFrameworkCore;

namespace Workflow.Messaging.Coordinator.Attempts;

/// <summary>
/// What the coordinator last heard from one attempt on a worker: a row of its own, written by the
/// attempt tracker in batches, so a heartbeat never touches the saga row.
/// </summary>
public sealed class NodeAttemptRow
{
    /// <summary>Stored for a node that is not fanned out; keys cannot be null.</summary>
    public const int WholeNode = -1;

    public Guid ExecutionId { get; set; }
    public string NodeId { get; set; } = "";
    public int ItemIndex { get; set; } = WholeNode;
    public int Attempt { get; set; }

    /// <summary>The worker last heard running the attempt.</summary>
    public string? WorkerId { get; set; }

    /// <summary>When the worker says the attempt started (its clock); null when only heartbeats arrived.</summary>
    public DateTime? StartedAt { get; set; }

    /// <summary>When the coordinator last heard from the attempt (its own clock, so the watchdog compares like with like).</summary>
    public DateTime LastSeenAt { get; set; }

    /// <summary>
    /// Set by the saga when it recorded the attempt's result: a tombstone, not a delete, so that a
    /// NodeStarted the tracker consumes after the result cannot bring the attempt back.
    /// </summary>
    public DateTime? EndedAt { get; set; }

    /// <summary>When the watchdog last told the saga this attempt was silent; it tells again only after another silent period.</summary>
    public DateTime? ReportedAt { get; set; }
}

public static class NodeAttemptModel
{
    public const string Table = "workflow_node_attempts";

    /// <summary>Maps <see cref="NodeAttemptRow"/>: keyed by attempt; indexed for the watchdog's scan and the cleanup of ended rows.</summary>
    public static ModelBuilder AddNodeAttempts(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<NodeAttemptRow>(entity =>
        {
            entity.ToTable(Table);
            entity.HasKey(x => new { x.ExecutionId, x.NodeId, x.ItemIndex, x.Attempt });
            entity.Property(x => x.NodeId).HasMaxLength(200);
            entity.Property(x => x.WorkerId).HasMaxLength(200);
            entity.HasIndex(x => x.LastSeenAt);
            entity.HasIndex(x => x.EndedAt);
        });
        return modelBuilder;
    }
}
