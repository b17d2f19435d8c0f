namespace Workflow.Messaging.Persistence.Tests.CounterSaga;

public record StartCounter(Guid CounterId, int Target);

public record IncrementCounter(Guid CounterId);

public record CounterStarted(Guid CounterId);

public record CounterReached(Guid CounterId, int Counter);

public record OutboxProbe(Guid ProbeId, string Label);
