using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Workflow.Messaging.Persistence;

public static class WorkflowSagaRepositoryRegistrationExtensions
{
    /// <summary>
    /// Stores the saga in an EF Core DbContext: <c>x.AddSagaStateMachine&lt;M, S&gt;()
    /// .WorkflowEntityFrameworkRepository(r =&gt; { r.ExistingDbContext&lt;Db&gt;(); r.UsePostgres(); })</c>.
    /// </summary>
    public static ISagaRegistrationConfigurator<TSaga> WorkflowEntityFrameworkRepository<TSaga>(
        this ISagaRegistrationConfigurator<TSaga> configurator,
        Action<WorkflowSagaRepositoryConfigurator<TSaga>> configure)
        where TSaga : class, ISaga
    {
        var repository = new WorkflowSagaRepositoryConfigurator<TSaga>();
        configure(repository);
        var options = repository.Build();

        return configurator.Repository(services =>
        {
            services.AddSingleton(options);
            services.RegisterSagaRepository<TSaga, DbContext, SagaConsumeContextFactory<DbContext, TSaga>,
                WorkflowSagaRepositoryContextFactory<TSaga>>();
            services.RegisterQuerySagaRepository<TSaga, WorkflowSagaRepositoryContextFactory<TSaga>>();
            services.RegisterLoadSagaRepository<TSaga, WorkflowSagaRepositoryContextFactory<TSaga>>();
        });
    }
}
