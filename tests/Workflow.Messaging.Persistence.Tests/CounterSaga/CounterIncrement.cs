namespace Workflow.Messaging.Persistence.Tests.CounterSaga;

/// <summary>A row the saga writes in its own transaction, like the coordinator's node outputs.</summary>
public class CounterIncrement
{
    public long Id { get; set; }
    public Guid CounterId { get; set; }
    public int Value { get; set; }
}
