namespace Workflow.Messaging.Persistence.Tests.CounterSaga;

public record StartCounter(Guid CounterId, int Target);

public record IncrementCounter(Guid CounterId);

public record CounterStarted(Guid CounterId);

/// <summary>What a subscriber to every outcome of a counter listens to, like ExecutionFinished.</summary>
public interface ICounterOutcome
{
    Guid CounterId { get; }
}

public record CounterReached(Guid CounterId, int Counter) : ICounterOutcome;

public record OutboxProbe(Guid ProbeId, string Label);
