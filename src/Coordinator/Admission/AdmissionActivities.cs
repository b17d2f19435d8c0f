using MassTransit;
using Workflow.Messaging.Coordinator.Executions;

namespace Workflow.Messaging.Coordinator.Admission;

/// <summary>The saga's admission steps, named so the state machine reads as the lifecycle.</summary>
public static class AdmissionActivities
{
    /// <summary>Claims the execution's slots or queues it; then <paramref name="admitted"/> or <paramref name="queued"/> goes on.</summary>
    public static EventActivityBinder<WorkflowExecutionState, T> RequestAdmission<T>(this EventActivityBinder<WorkflowExecutionState, T> binder,
        Func<BehaviorContext<WorkflowExecutionState, T>, int> priority,
        Func<EventActivityBinder<WorkflowExecutionState, T>, EventActivityBinder<WorkflowExecutionState, T>> admitted,
        Func<EventActivityBinder<WorkflowExecutionState, T>, EventActivityBinder<WorkflowExecutionState, T>> queued)
        where T : class =>
        binder
            .ThenAsync(c => ExecutionAdmission.RequestAsync(c, priority(c)))
            .IfElse(ExecutionAdmission.Admitted, admitted, queued);

    /// <summary>An admission reached a queued execution: it runs if its slots are still held, or asks again.</summary>
    public static EventActivityBinder<WorkflowExecutionState, T> ConfirmAdmission<T>(this EventActivityBinder<WorkflowExecutionState, T> binder,
        Func<EventActivityBinder<WorkflowExecutionState, T>, EventActivityBinder<WorkflowExecutionState, T>> admitted)
        where T : class =>
        binder
            .ThenAsync(ExecutionAdmission.ConfirmAsync)
            .If(ExecutionAdmission.Admitted, admitted);

    /// <summary>A queued execution is cancelled: it leaves the queues it waits in.</summary>
    public static EventActivityBinder<WorkflowExecutionState, T> LeaveQueue<T>(this EventActivityBinder<WorkflowExecutionState, T> binder)
        where T : class =>
        binder.ThenAsync(ExecutionAdmission.LeaveQueueAsync);

    public static EventActivityBinder<WorkflowExecutionState> ReleaseAdmission(this EventActivityBinder<WorkflowExecutionState> binder) =>
        binder.ThenAsync(ExecutionAdmission.ReleaseAsync);

    public static EventActivityBinder<WorkflowExecutionState, T> ReleaseAdmission<T>(this EventActivityBinder<WorkflowExecutionState, T> binder)
        where T : class =>
        binder.ThenAsync(ExecutionAdmission.ReleaseAsync);
}
