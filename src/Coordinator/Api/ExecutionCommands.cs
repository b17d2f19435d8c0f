using MassTransit;

namespace Workflow.Messaging.Coordinator.Api;

/// <summary>
/// Commits the API's unit of work. Under the bus outbox a publish through the request scope's
/// <see cref="IPublishEndpoint"/> is only written to the outbox table; the host that adds the
/// outbox registers an implementation that calls its DbContext's SaveChangesAsync, which commits
/// the messages (and then a background service delivers them). Without an outbox it does nothing.
/// </summary>
public interface IUnitOfWork
{
    Task SaveChangesAsync(CancellationToken cancellationToken);
}

internal sealed class NoUnitOfWork : IUnitOfWork
{
    public Task SaveChangesAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// The one place the API sends anything to the bus: starts and operator commands are published
/// through the request scope's <see cref="IPublishEndpoint"/> and committed with
/// <see cref="IUnitOfWork"/>, so an accepted request is in the outbox before the 202 goes out.
/// </summary>
public sealed class ExecutionCommands(IPublishEndpoint publish, IUnitOfWork unitOfWork)
{
    public async Task SendAsync<T>(T command, CancellationToken cancellationToken) where T : class
    {
        await publish.Publish(command, cancellationToken);
        await unitOfWork.SaveChangesAsync(cancellationToken);
    }
}
