using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Workflow.Messaging.Persistence;

public sealed class WorkflowSagaRepositoryOptions<TSaga>
    where TSaga : class, ISaga
{
    public required Func<IServiceProvider, DbContext> ResolveDbContext { get; init; }
    public DatabaseDialect? Dialect { get; init; }
    public SagaConcurrencyMode ConcurrencyMode { get; init; }
}
