using MassTransit;

namespace Workflow.Messaging.Persistence.Tests.CounterSaga;

public class CounterState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public int Target { get; set; }
    public int Counter { get; set; }
}
