using System.Diagnostics;
using MassTransit;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.ServiceDefaults;

namespace Workflow.Messaging.Coordinator.Executions;

/// <summary>
/// A saga step as telemetry: a span named after the event (child of MassTransit's consume span;
/// the ExecuteNode it sends carries it to the worker, whose node span becomes its child) and a log
/// scope with the execution's ids on every line logged during the step.
/// </summary>
internal sealed class ExecutionTelemetry : IDisposable
{
    private readonly Activity? _activity;
    private readonly IDisposable? _scope;

    private ExecutionTelemetry(BehaviorContext<WorkflowExecutionState> context, string? workflowId)
    {
        var saga = context.Saga;
        var step = context.Event.Name;
        workflowId ??= saga.WorkflowId;
        var logger = context.GetServiceOrCreateInstance<ILoggerFactory>().CreateLogger("Workflow.Messaging.Coordinator.Executions");
        _scope = logger.BeginScope(new LogScope()
            .Add(TelemetryTags.ExecutionId, saga.CorrelationId)
            .Add(TelemetryTags.WorkflowId, workflowId)
            .Add(TelemetryTags.Step, step));
        _activity = WorkflowTelemetry.Source.StartActivity($"execution {step}");
        _activity?.SetTag(TelemetryTags.ExecutionId, saga.CorrelationId.ToString())
            .SetTag(TelemetryTags.WorkflowId, workflowId)
            .SetTag(TelemetryTags.Step, step);
    }

    public static ExecutionTelemetry Begin(BehaviorContext<WorkflowExecutionState> context, string? workflowId = null) => new(context, workflowId);

    public static void Started(WorkflowExecutionState saga)
    {
        WorkflowTelemetry.ExecutionsStarted.Add(1, new KeyValuePair<string, object?>(TelemetryTags.WorkflowId, WorkflowTelemetry.WorkflowIds.Of(saga.WorkflowId)));
        WorkflowTelemetry.ExecutionsActive.Add(1);
    }

    /// <summary><paramref name="wasActive"/> is false for a rejected start, which never counted as active.</summary>
    public static void Finished(WorkflowExecutionState saga, ExecutionStatus status, bool wasActive = true)
    {
        WorkflowTelemetry.ExecutionsFinished.Add(1,
            new KeyValuePair<string, object?>(TelemetryTags.WorkflowId, WorkflowTelemetry.WorkflowIds.Of(saga.WorkflowId)),
            new KeyValuePair<string, object?>(TelemetryTags.Status, status.ToString()));
        // A queued execution was never counted active: it is counted when admission lets it run.
        if (wasActive && saga.CurrentState != nameof(WorkflowExecutionStateMachine.Queued))
            WorkflowTelemetry.ExecutionsActive.Add(-1);
    }

    public static void RetryScheduled(string nodeType) =>
        WorkflowTelemetry.NodeRetries.Add(1, new KeyValuePair<string, object?>(TelemetryTags.NodeType, nodeType));

    public void Dispose()
    {
        _activity?.Dispose();
        _scope?.Dispose();
    }
}
