using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Executions;

/// <summary>The saga endpoint: partitioned by execution, retried on conflicts, behind an outbox.</summary>
public sealed class WorkflowExecutionStateDefinition : SagaDefinition<WorkflowExecutionState>
{
    public const string QueueName = "workflow-executions";

    public WorkflowExecutionStateDefinition(IOptions<CoordinatorOptions> options)
    {
        Endpoint(e => e.Name = QueueName);
        ConcurrentMessageLimit = options.Value.SagaConcurrencyLimit;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<WorkflowExecutionState> sagaConfigurator,
        IRegistrationContext context)
    {
        // Messages of one execution go through one partition, so a fan-in of many results for the
        // same execution is serialized here instead of contending for the saga row.
        var partition = endpointConfigurator.CreatePartitioner(ConcurrentMessageLimit ?? 16);
        Partition<StartWorkflow>(sagaConfigurator, partition, m => m.ExecutionId);
        Partition<NodeSucceeded>(sagaConfigurator, partition, m => m.ExecutionId);
        Partition<NodeFailed>(sagaConfigurator, partition, m => m.ExecutionId);
        Partition<NodeHeartbeat>(sagaConfigurator, partition, m => m.ExecutionId);
        Partition<NodeRetryDue>(sagaConfigurator, partition, m => m.ExecutionId);
        Partition<WaitElapsed>(sagaConfigurator, partition, m => m.ExecutionId);
        Partition<NodeLeaseCheckDue>(sagaConfigurator, partition, m => m.ExecutionId);
        Partition<ExecutionDeadlineReached>(sagaConfigurator, partition, m => m.ExecutionId);
        Partition<PauseExecution>(sagaConfigurator, partition, m => m.ExecutionId);
        Partition<ResumeExecution>(sagaConfigurator, partition, m => m.ExecutionId);
        Partition<CancelExecution>(sagaConfigurator, partition, m => m.ExecutionId);
        Partition<RetryExecution>(sagaConfigurator, partition, m => m.ExecutionId);
        Partition<SubmitDecision>(sagaConfigurator, partition, m => m.ExecutionId);

        // Outside the outbox, so each attempt gets a fresh scope; only conflicts are worth retrying.
        endpointConfigurator.UseMessageRetry(r => r.Intervals(10, 50, 200, 500, 1000, 2000));
        endpointConfigurator.UseInMemoryOutbox(context);
    }

    private static void Partition<T>(ISagaConfigurator<WorkflowExecutionState> saga, IPartitioner partitioner, Func<T, Guid> key) where T : class =>
        saga.Message<T>(m => m.UsePartitioner(partitioner, c => key(c.Message)));
}
