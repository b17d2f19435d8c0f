using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Worker;

/// <summary>
/// Runs one attempt of one node and reports it. Every outcome of the executor becomes a
/// NodeSucceeded or NodeFailed, so nothing but a host shutdown makes a message fault or redeliver.
/// </summary>
/// <remarks>
/// Shutdown: the bus gives consumers <see cref="WorkerOptions.ShutdownGracePeriod"/> (MassTransit's
/// ConsumerStopTimeout), then cancels <see cref="ConsumeContext.CancellationToken"/>. An attempt
/// still running then is cancelled and the consumer throws an OperationCanceledException carrying
/// that token: MassTransit treats it as a transport cancellation, publishes no Fault and does not
/// acknowledge the message, so the broker hands it to another worker. Publishing NodeFailed instead
/// would spend one of the node's attempts on our own restart.
/// </remarks>
public sealed class ExecuteNodeConsumer(
    NodeExecutorRegistry registry,
    RunningNodes running,
    NodeOutputLimit outputLimit,
    FinishedAttempts finished,
    IOptions<WorkerOptions> options,
    IServiceProvider services,
    TimeProvider time,
    ILogger<ExecuteNodeConsumer> logger) : IConsumer<ExecuteNode>
{
    public async Task Consume(ConsumeContext<ExecuteNode> context)
    {
        var message = context.Message;
        var workerId = options.Value.WorkerId;
        var started = time.GetTimestamp();
        if (finished.TryGet(message, out var known))
        {
            // A redelivery of an attempt this worker already ran (its first consume was cancelled while reporting):
            // the result is known, so it is reported again rather than computed a second time.
            logger.LogInformation("{NodeId} (execution {ExecutionId}, attempt {Attempt}) was redelivered after it finished here; its {Report} is published again",
                message.NodeId, message.ExecutionId, message.Attempt, known.GetType().Name);
            await ReportResult(context, known);
            return;
        }

        using var telemetry = NodeAttemptTelemetry.Start(message, workerId, logger, time.GetUtcNow().UtcDateTime);

        if (!registry.TryGetExecutor(message.NodeType, out var executor))
        {
            var unknown = new NodeError
            {
                Kind = NodeErrorKind.Fatal,
                Message = $"Worker {workerId} has no executor for node type '{message.NodeType}'.",
                Code = "unknown-node-type",
            };
            telemetry.Failed(unknown, time.GetElapsedTime(started));
            await ReportResult(context, Failed(message, workerId, time.GetElapsedTime(started), unknown));
            return;
        }

        using var attempt = running.Start(message.ExecutionId);
        using var timeout = new CancellationTokenSource(message.Timeout > TimeSpan.Zero ? message.Timeout : Timeout.InfiniteTimeSpan, time);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, timeout.Token, attempt.Token);

        var start = new NodeStarted
        {
            ExecutionId = message.ExecutionId,
            NodeId = message.NodeId,
            Attempt = message.Attempt,
            ItemIndex = message.ItemIndex,
            WorkerId = workerId,
            StartedAt = time.GetUtcNow().UtcDateTime,
            DispatchedAt = message.DispatchedAt,
        };

        NodeResult? result = null;
        NodeError? error = null;
        bool announced;
        var pulse = HeartbeatPublisher.Start(context, start, options.Value, time, logger, cancellation.Token);
        try
        {
            // WaitAsync: an executor that ignores its token must not hold the attempt past its timeout.
            result = await executor.ExecuteAsync(NodeExecutionContext.For(message, services), cancellation.Token).WaitAsync(cancellation.Token);
        }
        catch (Exception) when (context.CancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Worker {WorkerId} stopped before {NodeId} (execution {ExecutionId}, attempt {Attempt}) finished; the message goes back to the queue",
                workerId, message.NodeId, message.ExecutionId, message.Attempt);
            throw new OperationCanceledException("The worker is shutting down.", context.CancellationToken);
        }
        catch (Exception e)
        {
            error = Classify(e, attempt, timeout.IsCancellationRequested, message.Timeout);
        }
        finally
        {
            await pulse.DisposeAsync();
            announced = pulse.Announced;
        }

        // Checked before publishing: an output past the limit would be refused by the coordinator
        // (or the broker) anyway, and fails here with a reason instead.
        if (result is not null && outputLimit.Check(result.Output) is { } tooLarge)
        {
            result = null;
            error = tooLarge;
        }

        var duration = time.GetElapsedTime(started);
        if (result is not null)
        {
            try
            {
                await ReportResult(context, new NodeSucceeded
                {
                    ExecutionId = message.ExecutionId,
                    NodeId = message.NodeId,
                    Attempt = message.Attempt,
                    ItemIndex = message.ItemIndex,
                    Output = result.Output,
                    Ports = result.Ports,
                    WorkerId = workerId,
                    Duration = duration,
                    StartedAt = start.StartedAt,
                    DispatchedAt = message.DispatchedAt,
                    StartAnnounced = announced,
                });
                telemetry.Succeeded(duration);
                return;
            }
            catch (Exception e) when (ResultPublisher.IsUnserializable(e))
            {
                // Published again it would fail again: the node fails, so the execution does not wait on it.
                error = new NodeError
                {
                    Kind = NodeErrorKind.Fatal,
                    Code = "node.output-not-serializable",
                    Message = $"The node's output could not be put into its result message: {e.GetBaseException().Message}",
                };
            }
        }

        logger.LogWarning("Node {NodeId} (execution {ExecutionId}, attempt {Attempt}) failed: {Kind} {Code} {Message}",
            message.NodeId, message.ExecutionId, message.Attempt, error!.Kind, error.Code, error.Message);
        telemetry.Failed(error, duration);
        await ReportResult(context, Failed(message, workerId, duration, error) with
        {
            StartedAt = start.StartedAt,
            DispatchedAt = message.DispatchedAt,
            StartAnnounced = announced,
        });
    }

    private async Task Report(ConsumeContext<ExecuteNode> context, object report)
    {
        try
        {
            await ResultPublisher.PublishUntilAccepted(token => context.Publish(report, token), Describe(context.Message, report),
                options.Value.PublishTimeout, logger, context.CancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && context.CancellationToken.IsCancellationRequested)
        {
            // A publish that failed as the consume was being cancelled is a cancellation too: as any other exception it
            // would send the ExecuteNode to the error queue with a Fault instead of back to the broker.
            throw new OperationCanceledException("The consume was cancelled while a report was published.", e, context.CancellationToken);
        }
    }

    // A cancelled consume (the broker closed the channel, or the host stops past its grace period) must not take the
    // finished result with it: it is handed over and published from the bus until accepted. The consume still ends
    // unacknowledged, so the broker redelivers the ExecuteNode if this process dies before the result is out.
    private async Task ReportResult(ConsumeContext<ExecuteNode> context, object report)
    {
        try
        {
            await Report(context, report);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("The consume of {NodeId} (execution {ExecutionId}, attempt {Attempt}) was cancelled before its {Report} was accepted; the worker keeps publishing it",
                context.Message.NodeId, context.Message.ExecutionId, context.Message.Attempt, report.GetType().Name);
            finished.HandOver(context.Message, report);
            throw;
        }
    }

    private static string Describe(ExecuteNode message, object report) =>
        $"{report.GetType().Name} of {message.NodeId} (execution {message.ExecutionId}, attempt {message.Attempt})";

    private static NodeError Classify(Exception exception, RunningAttempt attempt, bool timedOut, TimeSpan limit)
    {
        if (attempt.CancelReason is { } reason && exception is OperationCanceledException)
            return new NodeError { Kind = NodeErrorKind.Fatal, Message = $"Cancelled: {reason}", Code = "cancelled" };
        if (timedOut && exception is OperationCanceledException)
            return new NodeError { Kind = NodeErrorKind.Retryable, Message = $"The attempt ran longer than its timeout of {Duration.Format(limit)}.", Code = "timeout" };
        return ErrorClassifier.Classify(exception);
    }

    private static NodeFailed Failed(ExecuteNode message, string workerId, TimeSpan duration, NodeError error) => new()
    {
        ExecutionId = message.ExecutionId,
        NodeId = message.NodeId,
        Attempt = message.Attempt,
        ItemIndex = message.ItemIndex,
        Error = error,
        WorkerId = workerId,
        Duration = duration,
    };
}
