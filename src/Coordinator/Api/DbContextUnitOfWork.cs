using Workflow.Messaging.Coordinator.Persistence;

namespace Workflow.Messaging.Coordinator.Api;

/// <summary>
/// With a database the request scope's publish endpoint is the bus outbox, which adds the message
/// to this DbContext: saving it commits the message, and the outbox delivery service sends it.
/// </summary>
internal sealed class DbContextUnitOfWork(CoordinatorDbContext db) : IUnitOfWork
{
    public Task SaveChangesAsync(CancellationToken cancellationToken) => db.SaveChangesAsync(cancellationToken);
}
