namespace Workflow.Messaging.Bench.Baseline;

/// <summary>
/// The raw limits of this machine. The ceiling assumes the least a durable engine must do per
/// worker node: one committed transaction (record the result) and two broker messages (the command
/// and the result), so it is min(commits/s, messages/s / 2).
/// </summary>
/// <param name="SharedCommitsPerSecond">Commits/s while the broker measurement ran beside it.</param>
/// <param name="SharedMessagesPerSecond">Broker messages/s while the commit measurement ran beside it.</param>
internal sealed record BaselineResult(double PostgresCommitsPerSecond, double BrokerMessagesPerSecond,
    double SharedCommitsPerSecond, double SharedMessagesPerSecond)
{
    public double NodeCeilingPerSecond => Math.Min(PostgresCommitsPerSecond, BrokerMessagesPerSecond / 2);

    /// <summary>
    /// How much of the two alone-rates the machine carries at once: 1 when their costs simply add
    /// up (both CPU-bound on the same cores), up to 2 when they do not compete at all.
    /// </summary>
    public double SharingFactor => PostgresCommitsPerSecond > 0 && BrokerMessagesPerSecond > 0
        ? SharedCommitsPerSecond / PostgresCommitsPerSecond + SharedMessagesPerSecond / BrokerMessagesPerSecond
        : 0;

    /// <summary>
    /// The same least work per node, with PostgreSQL and the broker on one machine as they are in a
    /// run: a node needs one commit and two messages at once, so their costs add up, scaled by how
    /// much the machine carries when both run (<see cref="SharingFactor"/>), and never above the
    /// ceiling of either alone. A rate not measured (0) makes both the factor and this 0.
    /// </summary>
    public double NodeCeilingSharedPerSecond =>
        Math.Min(NodeCeilingPerSecond, SharingFactor / (1 / PostgresCommitsPerSecond + 2 / BrokerMessagesPerSecond));
}
