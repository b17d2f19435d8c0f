using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Coordinator.Partitions;
using Workflow.Messaging.Coordinator.Persistence;
using Workflow.Messaging.Persistence;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Executions;

/// <summary>The saga endpoint: partitioned by execution, retried on conflicts, behind an outbox.</summary>
public sealed class WorkflowExecutionStateDefinition : SagaDefinition<WorkflowExecutionState>
{
    public const string QueueName = "workflow-executions";

    private readonly PersistenceOptions? _persistence;

    public WorkflowExecutionStateDefinition(IOptions<CoordinatorOptions> options, IServiceProvider services)
    {
        _persistence = services.GetService<PersistenceOptions>();
        // Partitioned, published messages reach the partition queues instead (Partitions/SagaPartitions);
        // this queue then receives only what is sent to it by address.
        var partitioned = services.GetService<SagaPartitions>() is { Count: > 0 };
        Endpoint(e =>
        {
            e.Name = QueueName;
            if (partitioned)
                e.ConfigureConsumeTopology = false;
        });
        ConcurrentMessageLimit = options.Value.SagaConcurrencyLimit;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<WorkflowExecutionState> sagaConfigurator,
        IRegistrationContext context)
    {
        // Outside the outbox, so each attempt gets a fresh scope and DbContext. Conflicts
        // (serialization failures, deadlocks, lock timeouts, SQLite busy) and database outages are
        // worth retrying; the intervals add up to about half a minute so a database restart is
        // ridden out instead of sending the message to the error queue.
        endpointConfigurator.UseMessageRetry(r => r.Intervals(10, 50, 200, 500, 1000, 2000, 4000, 8000, 15000).HandlePersistenceFailures());

        // Messages of one execution go through one partition, so a fan-in of many results for the
        // same execution waits here instead of contending for the saga row's lock.
        var partition = endpointConfigurator.CreatePartitioner(ConcurrentMessageLimit ?? 16);
        Partition<StartWorkflow>(endpointConfigurator, partition, m => m.ExecutionId);
        Partition<NodeSucceeded>(endpointConfigurator, partition, m => m.ExecutionId);
        Partition<NodeFailed>(endpointConfigurator, partition, m => m.ExecutionId);
        Partition<NodeHeartbeat>(endpointConfigurator, partition, m => m.ExecutionId);
        Partition<NodeAttemptSilent>(endpointConfigurator, partition, m => m.ExecutionId);
        Partition<NodeRetryDue>(endpointConfigurator, partition, m => m.ExecutionId);
        Partition<WaitElapsed>(endpointConfigurator, partition, m => m.ExecutionId);
        Partition<NodeLeaseCheckDue>(endpointConfigurator, partition, m => m.ExecutionId);
        Partition<ExecutionDeadlineReached>(endpointConfigurator, partition, m => m.ExecutionId);
        Partition<PauseExecution>(endpointConfigurator, partition, m => m.ExecutionId);
        Partition<ResumeExecution>(endpointConfigurator, partition, m => m.ExecutionId);
        Partition<CancelExecution>(endpointConfigurator, partition, m => m.ExecutionId);
        Partition<RetryExecution>(endpointConfigurator, partition, m => m.ExecutionId);
        Partition<SubmitDecision>(endpointConfigurator, partition, m => m.ExecutionId);
        Partition<AdmitExecution>(endpointConfigurator, partition, m => m.ExecutionId);

        // No inbox row for the messages of every step: the saga handles their copies by itself.
        // Results and notices carry their attempt (a stale one is ignored), timers the time they were
        // set for, and a second start finds the execution there. The outbox stays: state and
        // dispatch still commit together. Operator commands (pause, resume, cancel, retry,
        // decisions) are rare and act on whatever state they find, so they keep the inbox.
        endpointConfigurator.UseConfiguredOutbox(context, _persistence, withoutInbox: IdempotentByItself.Contains);
    }

    private static readonly HashSet<Type> IdempotentByItself =
    [
        typeof(StartWorkflow), typeof(NodeSucceeded), typeof(NodeFailed), typeof(NodeHeartbeat), typeof(NodeAttemptSilent),
        typeof(NodeRetryDue), typeof(WaitElapsed), typeof(NodeLeaseCheckDue), typeof(ExecutionDeadlineReached),
    ];

    private static void Partition<T>(IReceiveEndpointConfigurator endpoint, IPartitioner partitioner, Func<T, Guid> key) where T : class =>
        endpoint.UsePartitioner<T>(partitioner, c => key(c.Message));
}
