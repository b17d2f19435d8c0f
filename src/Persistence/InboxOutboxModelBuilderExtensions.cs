using Microsoft.EntityFrameworkCore;

namespace Workflow.Messaging.Persistence;

public static class InboxOutboxModelBuilderExtensions
{
    /// <summary>
    /// Maps InboxState, OutboxState and OutboxMessage into the calling DbContext, so inbox, outbox
    /// and saga rows live in one database and commit in one transaction.
    /// </summary>
    public static ModelBuilder AddWorkflowInboxOutboxEntities(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<InboxState>(inbox =>
        {
            inbox.HasKey(x => x.Id);
            inbox.Property(x => x.Id).ValueGeneratedOnAdd();
            inbox.HasAlternateKey(x => new { x.MessageId, x.ConsumerId });
            inbox.HasIndex(x => x.Delivered);
        });

        modelBuilder.Entity<OutboxState>(outbox =>
        {
            outbox.HasKey(x => x.OutboxId);
            outbox.Property(x => x.OutboxId).ValueGeneratedNever();
            outbox.HasIndex(x => x.Created);
        });

        modelBuilder.Entity<OutboxMessage>(message =>
        {
            message.HasKey(x => x.SequenceNumber);
            message.Property(x => x.SequenceNumber).ValueGeneratedOnAdd();
            message.Property(x => x.ContentType).HasMaxLength(256);
            message.Property(x => x.MessageType);
            message.Property(x => x.Body);
            message.HasIndex(x => new { x.InboxMessageId, x.InboxConsumerId, x.SequenceNumber });
            message.HasIndex(x => new { x.OutboxId, x.SequenceNumber });
            message.HasIndex(x => x.EnqueueTime);
            message.HasIndex(x => x.ExpirationTime);
        });

        return modelBuilder;
    }
}
