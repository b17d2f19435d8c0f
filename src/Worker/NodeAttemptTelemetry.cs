using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.ServiceDefaults;

namespace Workflow.Messaging.Worker;

/// <summary>
/// One node attempt as telemetry: a span (child of MassTransit's consume span, so of the saga step
/// that dispatched it), a log scope carrying the ids onto every line logged while it runs, and
/// the attempt, duration and queue-wait metrics.
/// </summary>
internal sealed class NodeAttemptTelemetry : IDisposable
{
    private readonly ExecuteNode _message;
    private readonly Activity? _activity;
    private readonly IDisposable? _scope;
    private bool _recorded;

    private NodeAttemptTelemetry(ExecuteNode message, string workerId, ILogger logger, DateTime now)
    {
        _message = message;
        _scope = logger.BeginScope(new LogScope()
            .Add(TelemetryTags.ExecutionId, message.ExecutionId)
            .Add(TelemetryTags.WorkflowId, message.WorkflowId)
            .Add(TelemetryTags.NodeId, message.NodeId)
            .Add(TelemetryTags.NodeType, message.NodeType)
            .Add(TelemetryTags.Attempt, message.Attempt)
            .Add(TelemetryTags.ItemIndex, message.ItemIndex)
            .Add(TelemetryTags.WorkerId, workerId));
        _activity = WorkflowTelemetry.Source.StartActivity($"node {message.NodeType} {message.NodeId}");
        _activity?.SetTag(TelemetryTags.ExecutionId, message.ExecutionId.ToString())
            .SetTag(TelemetryTags.WorkflowId, message.WorkflowId)
            .SetTag(TelemetryTags.NodeId, message.NodeId)
            .SetTag(TelemetryTags.NodeType, message.NodeType)
            .SetTag(TelemetryTags.Attempt, message.Attempt)
            .SetTag(TelemetryTags.ItemIndex, message.ItemIndex)
            .SetTag(TelemetryTags.WorkerId, workerId);
        var wait = now - message.DispatchedAt;
        if (wait >= TimeSpan.Zero)
            WorkflowTelemetry.NodeQueueWait.Record(wait.TotalSeconds, new KeyValuePair<string, object?>(TelemetryTags.NodeType, message.NodeType));
    }

    public static NodeAttemptTelemetry Start(ExecuteNode message, string workerId, ILogger logger, DateTime now) => new(message, workerId, logger, now);

    public void Succeeded(TimeSpan duration) => Record("succeeded", null, duration);

    public void Failed(NodeError error, TimeSpan duration)
    {
        _activity?.SetStatus(ActivityStatusCode.Error, error.Message).SetTag("ErrorCode", error.Code).SetTag("ErrorKind", Name(error.Kind));
        Record("failed", error.Kind, duration);
    }

    public void Dispose()
    {
        _activity?.Dispose();
        _scope?.Dispose();
    }

    private void Record(string outcome, NodeErrorKind? kind, TimeSpan duration)
    {
        if (_recorded)
            return;
        _recorded = true;
        _activity?.SetTag(TelemetryTags.Outcome, outcome);
        var tags = new TagList
        {
            { TelemetryTags.NodeType, _message.NodeType },
            { TelemetryTags.Outcome, outcome },
        };
        if (kind is { } k)
            tags.Add("ErrorKind", Name(k));
        WorkflowTelemetry.NodeAttempts.Add(1, tags);
        WorkflowTelemetry.NodeDuration.Record(duration.TotalSeconds, tags);
    }

    private static string Name(NodeErrorKind kind) => kind == NodeErrorKind.Retryable ? "retryable" : "fatal";
}
