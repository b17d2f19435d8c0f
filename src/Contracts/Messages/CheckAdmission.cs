namespace Workflow.Messaging.Contracts;

/// <summary>
/// Asks admission to look at the queues of some limits again: a slot was given back or an
/// execution joined a queue. Sent only after the change committed, so the look sees it.
/// </summary>
public sealed record CheckAdmission
{
    /// <summary>The limit keys whose queues to look at.</summary>
    public required IReadOnlyList<string> LimitKeys { get; init; }
}
