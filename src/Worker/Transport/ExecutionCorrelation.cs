using MassTransit;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Worker.Transport;

/// <summary>
/// Every message the execution saga consumes carries its execution id as the message's correlation id
/// (on RabbitMQ, the AMQP <c>correlation_id</c> property). With <c>Coordinator:Partitions</c> set, a
/// consistent-hash exchange routes on that property, so all messages of one execution reach the same
/// partition queue and so the same coordinator. A message sent without it is still delivered (to one
/// fixed partition) and handled correctly, only without that affinity.
/// </summary>
public static class ExecutionCorrelation
{
    /// <summary>Call in every bus that sends or publishes to the saga: hosts, the bench, the CLI.</summary>
    public static void UseExecutionCorrelation(this IBusFactoryConfigurator cfg)
    {
        cfg.SendTopology.UseCorrelationId<StartWorkflow>(m => m.ExecutionId);
        cfg.SendTopology.UseCorrelationId<NodeSucceeded>(m => m.ExecutionId);
        cfg.SendTopology.UseCorrelationId<NodeFailed>(m => m.ExecutionId);
        cfg.SendTopology.UseCorrelationId<NodeHeartbeat>(m => m.ExecutionId);
        cfg.SendTopology.UseCorrelationId<NodeAttemptSilent>(m => m.ExecutionId);
        cfg.SendTopology.UseCorrelationId<NodeRetryDue>(m => m.ExecutionId);
        cfg.SendTopology.UseCorrelationId<WaitElapsed>(m => m.ExecutionId);
        cfg.SendTopology.UseCorrelationId<NodeLeaseCheckDue>(m => m.ExecutionId);
        cfg.SendTopology.UseCorrelationId<ExecutionDeadlineReached>(m => m.ExecutionId);
        cfg.SendTopology.UseCorrelationId<PauseExecution>(m => m.ExecutionId);
        cfg.SendTopology.UseCorrelationId<ResumeExecution>(m => m.ExecutionId);
        cfg.SendTopology.UseCorrelationId<CancelExecution>(m => m.ExecutionId);
        cfg.SendTopology.UseCorrelationId<RetryExecution>(m => m.ExecutionId);
        cfg.SendTopology.UseCorrelationId<SubmitDecision>(m => m.ExecutionId);
        cfg.SendTopology.UseCorrelationId<AdmitExecution>(m => m.ExecutionId);
    }
}
