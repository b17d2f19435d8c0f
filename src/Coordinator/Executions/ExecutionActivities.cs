using MassTransit;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Executions;

/// <summary>The state machine's steps, named so that the machine reads as the lifecycle it is.</summary>
public static class ExecutionActivities
{
    public static EventActivityBinder<WorkflowExecutionState, StartWorkflow> Accept(this EventActivityBinder<WorkflowExecutionState, StartWorkflow> binder) =>
        binder.ThenAsync(ExecutionStepper.AcceptAsync);

    /// <summary>The execution holds its slots (or needs none): its first nodes go out, or its failed ones again after a retry.</summary>
    public static EventActivityBinder<WorkflowExecutionState, T> BeginRun<T>(this EventActivityBinder<WorkflowExecutionState, T> binder) where T : class =>
        binder.ThenAsync(ExecutionStepper.RunAsync);

    public static EventActivityBinder<WorkflowExecutionState, NodeSucceeded> RecordSuccess(this EventActivityBinder<WorkflowExecutionState, NodeSucceeded> binder, bool dispatch) =>
        binder.ThenAsync(c => ExecutionStepper.NodeSucceededAsync(c, dispatch));

    public static EventActivityBinder<WorkflowExecutionState, NodeFailed> RecordFailure(this EventActivityBinder<WorkflowExecutionState, NodeFailed> binder, bool dispatch) =>
        binder.ThenAsync(c => ExecutionStepper.NodeFailedAsync(c, dispatch));

    // The attempt reported: the tracker stops watching it, and a limited node's slots go back.
    public static EventActivityBinder<WorkflowExecutionState, NodeSucceeded> StopWatchingAttempt(this EventActivityBinder<WorkflowExecutionState, NodeSucceeded> binder) =>
        binder.ThenAsync(c => ExecutionStepper.EndAttemptAsync(c, c.Message.ExecutionId, c.Message.NodeId, c.Message.ItemIndex, c.Message.Attempt, c.Message.StartAnnounced))
            .ThenAsync(c => Admission.NodeAdmission.ReleaseAttemptAsync(c, c.Message.NodeId, c.Message.ItemIndex, c.Message.Attempt));

    public static EventActivityBinder<WorkflowExecutionState, NodeFailed> StopWatchingAttempt(this EventActivityBinder<WorkflowExecutionState, NodeFailed> binder) =>
        binder.ThenAsync(c => ExecutionStepper.EndAttemptAsync(c, c.Message.ExecutionId, c.Message.NodeId, c.Message.ItemIndex, c.Message.Attempt, c.Message.StartAnnounced))
            .ThenAsync(c => Admission.NodeAdmission.ReleaseAttemptAsync(c, c.Message.NodeId, c.Message.ItemIndex, c.Message.Attempt));

    public static EventActivityBinder<WorkflowExecutionState, NodeAttemptSilent> RedispatchSilentAttempt(this EventActivityBinder<WorkflowExecutionState, NodeAttemptSilent> binder) =>
        binder.ThenAsync(ExecutionStepper.AttemptSilentAsync).ThenAsync(ExecutionStepper.ForgetAttemptAsync);

    public static EventActivityBinder<WorkflowExecutionState, NodeHeartbeat> ExtendLease(this EventActivityBinder<WorkflowExecutionState, NodeHeartbeat> binder) =>
        binder.ThenAsync(ExecutionStepper.HeartbeatAsync);

    public static EventActivityBinder<WorkflowExecutionState, NodeRetryDue> RetryNode(this EventActivityBinder<WorkflowExecutionState, NodeRetryDue> binder, bool dispatch) =>
        binder.ThenAsync(c => ExecutionStepper.RetryDueAsync(c, dispatch));

    public static EventActivityBinder<WorkflowExecutionState, WaitElapsed> EndWait(this EventActivityBinder<WorkflowExecutionState, WaitElapsed> binder, bool dispatch) =>
        binder.ThenAsync(c => ExecutionStepper.WaitElapsedAsync(c, dispatch));

    public static EventActivityBinder<WorkflowExecutionState, SubmitDecision> RecordDecision(this EventActivityBinder<WorkflowExecutionState, SubmitDecision> binder, bool dispatch) =>
        binder.ThenAsync(c => ExecutionStepper.DecisionAsync(c, dispatch));

    public static EventActivityBinder<WorkflowExecutionState, NodeLeaseCheckDue> ExpireLeases(this EventActivityBinder<WorkflowExecutionState, NodeLeaseCheckDue> binder, bool dispatch) =>
        binder.ThenAsync(c => ExecutionStepper.LeaseCheckAsync(c, dispatch));

    public static EventActivityBinder<WorkflowExecutionState, ResumeExecution> ResumeDispatch(this EventActivityBinder<WorkflowExecutionState, ResumeExecution> binder) =>
        binder
            .PublishAsync(c => c.Init<ExecutionResumed>(new ExecutionResumed { ExecutionId = c.Saga.CorrelationId, At = DateTime.UtcNow }))
            .ThenAsync(ExecutionStepper.ResumeAsync);

    public static EventActivityBinder<WorkflowExecutionState, PauseExecution> AnnouncePause(this EventActivityBinder<WorkflowExecutionState, PauseExecution> binder) =>
        binder.PublishAsync(c => c.Init<ExecutionPaused>(new ExecutionPaused { ExecutionId = c.Saga.CorrelationId, At = DateTime.UtcNow }));

    public static EventActivityBinder<WorkflowExecutionState, T> EndExecution<T>(this EventActivityBinder<WorkflowExecutionState, T> binder, ExecutionStatus status, Func<BehaviorContext<WorkflowExecutionState, T>, string?> reason)
        where T : class =>
        binder.ThenAsync(c => ExecutionStepper.EndAsync(c, status, reason(c)));

    public static EventActivityBinder<WorkflowExecutionState, RetryExecution> RetryFailedNodes(this EventActivityBinder<WorkflowExecutionState, RetryExecution> binder) =>
        binder.ThenAsync(ExecutionStepper.RetryExecutionAsync);
}
