using Microsoft.EntityFrameworkCore;
using Workflow.Messaging.Coordinator.Admission;
using Workflow.Messaging.Coordinator.Attempts;
using Workflow.Messaging.Coordinator.Executions;
using Workflow.Messaging.Coordinator.Partitions;
using Workflow.Messaging.Persistence;

namespace Workflow.Messaging.Coordinator.Persistence;

/// <summary>
/// One context for the saga, the rows it writes in its transaction (outputs), definitions, the
/// attempt tracker's rows and the inbox/outbox: sharing it is what makes a saga step and its
/// messages one commit.
/// The host registers a provider subclass (<see cref="PostgresCoordinatorDbContext"/>,
/// <see cref="SqliteCoordinatorDbContext"/>) under this type: each owns its provider's migrations.
/// </summary>
public class CoordinatorDbContext : DbContext
{
    public CoordinatorDbContext(DbContextOptions<CoordinatorDbContext> options)
        : base(options)
    {
    }

    protected CoordinatorDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<WorkflowExecutionState> Executions => Set<WorkflowExecutionState>();
    public DbSet<NodeOutputRow> NodeOutputs => Set<NodeOutputRow>();
    public DbSet<WorkflowDefinitionRow> Definitions => Set<WorkflowDefinitionRow>();
    public DbSet<NodeAttemptRow> NodeAttempts => Set<NodeAttemptRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<WorkflowExecutionState>(entity =>
        {
            entity.ToTable("workflow_executions");
            entity.MapWorkflowSaga();
            entity.Property(x => x.CurrentState).HasMaxLength(32);
            entity.Property(x => x.WorkflowId).HasMaxLength(200);
            entity.Property(x => x.FinalStatus).HasConversion<string>().HasMaxLength(32);
            entity.Property(x => x.FailedNodeId).HasMaxLength(200);
            entity.Property(x => x.RequestedBy).HasMaxLength(200);
            // Listing by workflow, state and time is what operators do.
            entity.HasIndex(x => new { x.WorkflowId, x.CreatedAt });
            entity.HasIndex(x => new { x.CurrentState, x.CreatedAt });
            // The lease sweep's lookup (Leases/LeaseSweeper). Only executions with a running attempt
            // have a check time, so the partial index holds the live rows, not the history.
            entity.HasIndex(x => x.LeaseCheckAt).HasFilter("\"LeaseCheckAt\" IS NOT NULL");
        });
        modelBuilder.Entity<NodeOutputRow>(entity =>
        {
            entity.ToTable("workflow_node_outputs");
            entity.HasKey(x => new { x.ExecutionId, x.NodeId, x.ItemIndex });
            entity.Property(x => x.NodeId).HasMaxLength(200);
        });
        modelBuilder.Entity<WorkflowDefinitionRow>(entity =>
        {
            entity.ToTable("workflow_definitions");
            entity.HasKey(x => new { x.WorkflowId, x.Version });
            entity.Property(x => x.WorkflowId).HasMaxLength(200);
        });
        modelBuilder.AddNodeAttempts();
        modelBuilder.AddAdmission();
        modelBuilder.AddPartitionLeases();
        modelBuilder.AddWorkflowInboxOutboxEntities();
    }
}
