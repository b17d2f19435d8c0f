using MassTransit;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Admission;

namespace Workflow.Messaging.Coordinator.Executions;

/// <summary>
/// One instance per execution. The state machine owns the lifecycle (queued, running, paused,
/// ended, retried); when an execution may run is admission's (Admission/); which node runs next is decided by the planner inside each step
/// (<see cref="ExecutionStepper"/>), and the machine transitions on the outcome it records.
/// Ended executions are kept, not finalized: they stay queryable and can be retried.
/// </summary>
public sealed class WorkflowExecutionStateMachine : MassTransitStateMachine<WorkflowExecutionState>
{
    public WorkflowExecutionStateMachine()
    {
        Event(() => Start, x =>
        {
            // No InsertOnInitial: an early insert has no state yet (a NOT NULL column); a racing
            // duplicate start is caught by the primary key and retried as a conflict instead.
            x.CorrelateById(m => m.Message.ExecutionId);
            x.SetSagaFactory(m => new WorkflowExecutionState { CorrelationId = m.Message.ExecutionId });
        });
        Event(() => NodeSucceeded, x => { x.CorrelateById(m => m.Message.ExecutionId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => NodeFailed, x => { x.CorrelateById(m => m.Message.ExecutionId); x.OnMissingInstance(m => m.Discard()); });
        // Heartbeats are the attempt tracker's (Attempts/): the saga endpoint no longer subscribes to
        // them, so a long node costs no saga step while it runs. One that still reaches the saga
        // queue (a binding left by an earlier version, or one sent directly) extends the lease as before.
        Event(() => Heartbeat, x => { x.CorrelateById(m => m.Message.ExecutionId); x.OnMissingInstance(m => m.Discard()); x.ConfigureConsumeTopology = false; });
        // Sent to the saga queue by the silent-attempt watchdog, never published.
        Event(() => AttemptSilent, x => { x.CorrelateById(m => m.Message.ExecutionId); x.OnMissingInstance(m => m.Discard()); x.ConfigureConsumeTopology = false; });
        Event(() => RetryDue, x => { x.CorrelateById(m => m.Message.ExecutionId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => WaitElapsed, x => { x.CorrelateById(m => m.Message.ExecutionId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => LeaseCheckDue, x => { x.CorrelateById(m => m.Message.ExecutionId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => DeadlineReached, x => { x.CorrelateById(m => m.Message.ExecutionId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => Pause, x => { x.CorrelateById(m => m.Message.ExecutionId); x.OnMissingInstance(m => m.Fault()); });
        Event(() => Resume, x => { x.CorrelateById(m => m.Message.ExecutionId); x.OnMissingInstance(m => m.Fault()); });
        Event(() => Cancel, x => { x.CorrelateById(m => m.Message.ExecutionId); x.OnMissingInstance(m => m.Fault()); });
        Event(() => Retry, x => { x.CorrelateById(m => m.Message.ExecutionId); x.OnMissingInstance(m => m.Fault()); });
        Event(() => Decision, x => { x.CorrelateById(m => m.Message.ExecutionId); x.OnMissingInstance(m => m.Fault()); });
        // Sent to the saga queue by admission, never published.
        Event(() => Admitted, x => { x.CorrelateById(m => m.Message.ExecutionId); x.OnMissingInstance(m => m.Discard()); x.ConfigureConsumeTopology = false; });

        InstanceState(x => x.CurrentState);

        // Created is the execution before this first step; it leaves it as Rejected, Queued or Running.
        Initially(
            When(Start)
                .Accept()
                .IfElse(c => c.Saga.FinalStatus == ExecutionStatus.Rejected,
                    rejected => rejected.TransitionTo(Rejected),
                    accepted => accepted.RequestAdmission(c => c.Message.Priority ?? 0,
                        admitted => Conclude(admitted.BeginRun().TransitionTo(Running)),
                        queued => queued.TransitionTo(Queued))));

        // Queued: waits for a slot of every limit that applies; admission sends Admitted once they are held.
        During(Queued,
            When(Admitted).ConfirmAdmission(admitted => Conclude(admitted.BeginRun().TransitionTo(Running))),
            When(Cancel).LeaveQueue().EndExecution(ExecutionStatus.Cancelled, c => c.Message.Reason).TransitionTo(Cancelled),
            Ignore(Start), Ignore(NodeSucceeded), Ignore(NodeFailed), Ignore(Heartbeat), Ignore(AttemptSilent), Ignore(RetryDue), Ignore(WaitElapsed),
            Ignore(LeaseCheckDue), Ignore(DeadlineReached), Ignore(Pause), Ignore(Resume), Ignore(Retry), Ignore(Decision));

        During(Running,
            Conclude(When(NodeSucceeded).RecordSuccess(dispatch: true).StopWatchingAttempt()),
            Conclude(When(NodeFailed).RecordFailure(dispatch: true).StopWatchingAttempt()),
            When(Heartbeat).ExtendLease(),
            When(AttemptSilent).RedispatchSilentAttempt(),
            Conclude(When(RetryDue).RetryNode(dispatch: true)),
            Conclude(When(WaitElapsed).EndWait(dispatch: true)),
            Conclude(When(Decision).RecordDecision(dispatch: true)),
            Conclude(When(LeaseCheckDue).ExpireLeases(dispatch: true)),
            When(Pause).AnnouncePause().TransitionTo(Paused),
            When(Cancel).EndExecution(ExecutionStatus.Cancelled, c => c.Message.Reason).TransitionTo(Cancelled),
            When(DeadlineReached, c => StoredTime.Same(c.Saga.DeadlineAt, c.Message.DeadlineAt)).EndExecution(ExecutionStatus.TimedOut, _ => null).TransitionTo(TimedOut),
            Ignore(DeadlineReached),
            Ignore(Start), Ignore(Resume), Ignore(Retry), Ignore(Admitted));

        // Paused: results and timers are recorded, nothing new is dispatched until resume.
        During(Paused,
            Conclude(When(NodeSucceeded).RecordSuccess(dispatch: false).StopWatchingAttempt()),
            Conclude(When(NodeFailed).RecordFailure(dispatch: false).StopWatchingAttempt()),
            When(Heartbeat).ExtendLease(),
            When(AttemptSilent).RedispatchSilentAttempt(),
            Conclude(When(RetryDue).RetryNode(dispatch: false)),
            Conclude(When(WaitElapsed).EndWait(dispatch: false)),
            Conclude(When(Decision).RecordDecision(dispatch: false)),
            Conclude(When(LeaseCheckDue).ExpireLeases(dispatch: false)),
            Conclude(When(Resume).ResumeDispatch().TransitionTo(Running)),
            When(Cancel).EndExecution(ExecutionStatus.Cancelled, c => c.Message.Reason).TransitionTo(Cancelled),
            When(DeadlineReached, c => StoredTime.Same(c.Saga.DeadlineAt, c.Message.DeadlineAt)).EndExecution(ExecutionStatus.TimedOut, _ => null).TransitionTo(TimedOut),
            Ignore(DeadlineReached),
            Ignore(Start), Ignore(Pause), Ignore(Retry), Ignore(Admitted));

        // Ended but retryable: a retry re-runs failed and cancelled nodes, once admitted again.
        // An admission that reaches an ended execution (it was cancelled while a pass admitted it)
        // gives its slots back.
        During(Failed, Cancelled, TimedOut,
            When(Retry).RequestAdmission(_ => 0,
                admitted => Conclude(admitted.RetryFailedNodes().TransitionTo(Running)),
                queued => queued.TransitionTo(Queued)),
            When(Admitted).ReleaseAdmission(),
            Ignore(Start), Ignore(NodeSucceeded), Ignore(NodeFailed), Ignore(Heartbeat), Ignore(AttemptSilent), Ignore(RetryDue), Ignore(WaitElapsed),
            Ignore(LeaseCheckDue), Ignore(DeadlineReached), Ignore(Pause), Ignore(Resume), Ignore(Cancel), Ignore(Decision));

        During(Succeeded, Rejected,
            When(Admitted).ReleaseAdmission(),
            Ignore(Start), Ignore(NodeSucceeded), Ignore(NodeFailed), Ignore(Heartbeat), Ignore(AttemptSilent), Ignore(RetryDue), Ignore(WaitElapsed),
            Ignore(LeaseCheckDue), Ignore(DeadlineReached), Ignore(Pause), Ignore(Resume), Ignore(Cancel), Ignore(Retry), Ignore(Decision));

        // Whichever way an execution ends, the slots it held go back and the queues move.
        WhenEnter(Succeeded, x => x.ReleaseAdmission());
        WhenEnter(Failed, x => x.ReleaseAdmission());
        WhenEnter(Cancelled, x => x.ReleaseAdmission());
        WhenEnter(TimedOut, x => x.ReleaseAdmission());
    }

    public State Queued { get; private set; } = null!;
    public State Running { get; private set; } = null!;
    public State Paused { get; private set; } = null!;
    public State Succeeded { get; private set; } = null!;
    public State Failed { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;
    public State TimedOut { get; private set; } = null!;
    public State Rejected { get; private set; } = null!;

    public Event<StartWorkflow> Start { get; private set; } = null!;
    public Event<NodeSucceeded> NodeSucceeded { get; private set; } = null!;
    public Event<NodeFailed> NodeFailed { get; private set; } = null!;
    public Event<NodeHeartbeat> Heartbeat { get; private set; } = null!;
    public Event<NodeAttemptSilent> AttemptSilent { get; private set; } = null!;
    public Event<NodeRetryDue> RetryDue { get; private set; } = null!;
    public Event<WaitElapsed> WaitElapsed { get; private set; } = null!;
    public Event<NodeLeaseCheckDue> LeaseCheckDue { get; private set; } = null!;
    public Event<ExecutionDeadlineReached> DeadlineReached { get; private set; } = null!;
    public Event<PauseExecution> Pause { get; private set; } = null!;
    public Event<ResumeExecution> Resume { get; private set; } = null!;
    public Event<CancelExecution> Cancel { get; private set; } = null!;
    public Event<RetryExecution> Retry { get; private set; } = null!;
    public Event<SubmitDecision> Decision { get; private set; } = null!;
    public Event<AdmitExecution> Admitted { get; private set; } = null!;

    // The planner decided the execution ended: move to the matching state.
    private EventActivityBinder<WorkflowExecutionState, T> Conclude<T>(EventActivityBinder<WorkflowExecutionState, T> binder) where T : class =>
        binder
            .If(c => c.Saga.FinalStatus == ExecutionStatus.Succeeded, b => b.TransitionTo(Succeeded))
            .If(c => c.Saga.FinalStatus == ExecutionStatus.Failed, b => b.TransitionTo(Failed));
}
