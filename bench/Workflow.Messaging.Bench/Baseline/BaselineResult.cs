namespace Workflow.Messaging.Bench.Baseline;

/// <summary>
/// The raw limits of this machine. The ceiling assumes the least a durable engine must do per
/// worker node: one committed transaction (record the result) and two broker messages (the command
/// and the result), so it is min(commits/s, messages/s / 2).
/// </summary>
internal sealed record BaselineResult(double PostgresCommitsPerSecond, double BrokerMessagesPerSecond)
{
    public double NodeCeilingPerSecond => Math.Min(PostgresCommitsPerSecond, BrokerMessagesPerSecond / 2);
}
