using MassTransit;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Executions;

namespace Workflow.Messaging.Coordinator.Partitions;

/// <summary>
/// The saga queue split by execution (<see cref="CoordinatorOptions.Partitions"/>). The exchanges of the
/// saga's published messages feed one consistent-hash exchange, which hashes each message's correlation
/// id (its execution id, see <c>ExecutionCorrelation</c>) onto one of the partition queues
/// <c>workflow-executions-0</c> … <c>-{n-1}</c>, each bound with the same weight. The bindings are durable
/// and stay while no coordinator consumes a partition: its messages wait in its queue for the next holder.
/// The plain saga queue stays consumed by every coordinator for what is sent to it by address (the lease
/// sweep, the attempt watchdog, admission), and no longer receives published messages.
/// </summary>
public sealed record SagaPartitions(int Count)
{
    public const string ExchangeName = $"{WorkflowExecutionStateDefinition.QueueName}-partitions";

    /// <summary>The exchange type of RabbitMQ's rabbitmq_consistent_hash_exchange plugin, which the broker must have enabled.</summary>
    public const string ExchangeType = "x-consistent-hash";

    public static string QueueName(int partition) => $"{WorkflowExecutionStateDefinition.QueueName}-{partition}";

    /// <summary>
    /// The exchanges of the messages the saga binds by default (the state machine's events whose consume
    /// topology is on): these are what is published to the saga, and what the partitions must receive.
    /// </summary>
    public static IReadOnlyList<string> PublishedExchanges(IBusTopology topology) =>
    [
        topology.Message<StartWorkflow>().EntityName,
        topology.Message<NodeSucceeded>().EntityName,
        topology.Message<NodeFailed>().EntityName,
        topology.Message<NodeRetryDue>().EntityName,
        topology.Message<WaitElapsed>().EntityName,
        topology.Message<NodeLeaseCheckDue>().EntityName,
        topology.Message<ExecutionDeadlineReached>().EntityName,
        topology.Message<PauseExecution>().EntityName,
        topology.Message<ResumeExecution>().EntityName,
        topology.Message<CancelExecution>().EntityName,
        topology.Message<RetryExecution>().EntityName,
        topology.Message<SubmitDecision>().EntityName,
    ];

    public const string HashPropertyArgument = "hash-property";

    /// <summary>The AMQP property hashed: MassTransit writes a message's correlation id there.</summary>
    public const string HashProperty = "correlation_id";

    /// <summary>A partition's binding key is its weight on the hash ring: equal for all.</summary>
    public const string Weight = "1";

    /// <summary>
    /// A partition's endpoint binds nothing itself: <see cref="SagaRouting"/> declared its queue and
    /// bindings before the bus started, so messages wait for it even while no coordinator holds it.
    /// </summary>
    public static void ConfigureEndpoint(IReceiveEndpointConfigurator endpoint) => endpoint.ConfigureConsumeTopology = false;
}
