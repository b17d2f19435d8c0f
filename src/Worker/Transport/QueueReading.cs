namespace Workflow.Messaging.Worker.Transport;

/// <summary>What the broker says about one queue right now: null consumers when the queue does not exist.</summary>
public readonly record struct QueueReading(string Queue, bool Exists, uint Consumers, uint Messages);

/// <summary>What one check saw of one receive endpoint: MassTransit's view and the broker's.</summary>
public sealed record EndpointObservation(string Endpoint, string Queue, bool ReadyInProcess, string ProcessDescription, QueueReading Broker)
{
    /// <summary>Dead for this check: MassTransit does not have it ready, or the broker sees nobody consuming its queue.</summary>
    public bool LooksDead => !ReadyInProcess || !Broker.Exists || Broker.Consumers == 0;

    public string Describe() =>
        $"{Endpoint}: in process {ProcessDescription}; queue {Queue} " +
        (Broker.Exists ? $"has {Broker.Consumers} consumers and {Broker.Messages} messages" : "does not exist");
}
