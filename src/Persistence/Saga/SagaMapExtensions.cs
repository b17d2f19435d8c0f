using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workflow.Messaging.Persistence;

public static class SagaMapExtensions
{
    /// <summary>The row version's property and column: PostgreSQL's system column, left out of <c>SELECT *</c>.</summary>
    public const string XminProperty = "xmin";

    /// <summary>
    /// The conventions every saga map needs: CorrelationId is the key and is never generated
    /// (the message supplies it). Map CurrentState as a string property yourself.
    /// </summary>
    public static EntityTypeBuilder<TSaga> MapWorkflowSaga<TSaga>(this EntityTypeBuilder<TSaga> entity)
        where TSaga : class, ISaga
    {
        entity.HasKey(x => x.CorrelationId);
        entity.Property(x => x.CorrelationId).ValueGeneratedNever();
        return entity;
    }

    /// <summary>
    /// Optimistic concurrency on PostgreSQL without an extra column: the system column xmin
    /// changes on every update. Only for PostgreSQL; SQLite has no such column.
    /// </summary>
    public static EntityTypeBuilder<TSaga> UseXminConcurrencyToken<TSaga>(this EntityTypeBuilder<TSaga> entity)
        where TSaga : class, ISaga
    {
        entity.Property<uint>(XminProperty)
            .HasColumnName(XminProperty)
            .HasColumnType("xid")
            .ValueGeneratedOnAddOrUpdate()
            .IsConcurrencyToken();
        return entity;
    }
}
