namespace Workflow.Messaging.Bench.Chaos;

/// <summary>The counts a chaos run prints and the invariants it checked; <see cref="Violations"/> is empty when the engine lost nothing.</summary>
internal sealed record ChaosReport
{
    public required int Executions { get; init; }
    public required int Started { get; init; }
    public required int Terminal { get; init; }
    public required int Succeeded { get; init; }
    public required int Unfinished { get; init; }
    public required int ReportedTwice { get; init; }
    public required int RedeliveredTerminalEvents { get; init; }
    public required int NodeSuccessesRecorded { get; init; }
    public required int NodesWithMoreThanOneSuccess { get; init; }
    public required int RedeliveredProgressEvents { get; init; }
    public required int SideEffectDeliveries { get; init; }
    public required int SideEffectsApplied { get; init; }
    public required int SideEffectRepeatsDeduplicated { get; init; }
    public required int SucceededWithoutSideEffect { get; init; }
    public required int WorkerKills { get; init; }
    public required int CoordinatorKills { get; init; }
    public required int RabbitMqRestarts { get; init; }
    public required int PostgresRestarts { get; init; }
    public required int ConnectionDrops { get; init; }
    public required int RestartsAfterExit { get; init; }
    public required IReadOnlyList<string> ErrorQueues { get; init; }
    public required double Seconds { get; init; }
    public required IReadOnlyList<string> Violations { get; init; }
    public required IReadOnlyList<RecoveryTime> Recovery { get; init; }
    public required ChaosTimeline Timeline { get; init; }

    public void Write(TextWriter output)
    {
        var rows = new (string, object)[]
        {
            ("executions planned / started", $"{Executions} / {Started}"),
            ("reached a terminal state", Terminal),
            ("succeeded", Succeeded),
            ("unfinished", Unfinished),
            ("terminal event reported twice (a second decision)", ReportedTwice),
            ("terminal event redelivered (same message id)", RedeliveredTerminalEvents),
            ("node successes recorded", NodeSuccessesRecorded),
            ("node instances with more than one success", NodesWithMoreThanOneSuccess),
            ("redelivered progress events (deduplicated by message id)", RedeliveredProgressEvents),
            ("side-effect requests received", SideEffectDeliveries),
            ("side effects applied (distinct Idempotency-Key)", SideEffectsApplied),
            ("repeats absorbed by the Idempotency-Key", SideEffectRepeatsDeduplicated),
            ("succeeded executions without an applied side effect", SucceededWithoutSideEffect),
            ("workers SIGKILLed", WorkerKills),
            ("coordinator SIGKILLed and restarted", CoordinatorKills),
            ("RabbitMQ restarts", RabbitMqRestarts),
            ("PostgreSQL restarts", PostgresRestarts),
            ("broker connections dropped (all of the virtual host)", ConnectionDrops),
            ("processes that exited by themselves, started again", RestartsAfterExit),
            ("messages left in error queues", ErrorQueues.Count == 0 ? "none" : string.Join("; ", ErrorQueues)),
            ("wall time s", Seconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)),
            ("verdict", Violations.Count == 0 ? "PASS" : "FAIL: " + string.Join("; ", Violations)),
        };
        var width = rows.Max(r => r.Item1.Length);
        foreach (var (name, value) in rows)
            output.WriteLine($"| {name.PadRight(width)} | {value} |");
        RecoveryTime.Write(Recovery, output);
        Timeline.Write(output);
    }
}
