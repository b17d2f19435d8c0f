using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Executions;
using Workflow.Messaging.Engine.Planning;
using Workflow.Messaging.ServiceDefaults;

namespace Workflow.Messaging.Coordinator.Attempts;

/// <summary>
/// Every <see cref="CoordinatorOptions.AttemptWatchInterval"/>, claims attempts that started and
/// have not been heard from for <see cref="CoordinatorOptions.SilentAttemptAfter"/> and tells the
/// saga (<see cref="NodeAttemptSilent"/>), which dispatches the same attempt again. An attempt that
/// never started has no row and is left to its lease: it may just be queued behind a backlog.
/// Several coordinators may run it: each silent row is claimed by one of them.
/// </summary>
public sealed class SilentAttemptWatchdog(
    IServiceScopeFactory scopes,
    IBus bus,
    IOptions<CoordinatorOptions> options,
    TimeProvider time,
    ILogger<SilentAttemptWatchdog> logger) : BackgroundService
{
    private const int ClaimLimit = 100;
    private static readonly TimeSpan SendLimit = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.SilentAttemptAfter <= TimeSpan.Zero)
            return;
        // After a failed pass a claimed row is claimable again after one silent period.
        await PeriodicWork.RunAsync("The silent-attempt watchdog", options.Value.AttemptWatchInterval, time, logger, SweepAsync, stoppingToken);
    }

    /// <summary>One pass: drops old tombstones, then reports (or forgets) the silent attempts it claimed. Returns how many it reported.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var silentSince = now - options.Value.SilentAttemptAfter;
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IAttemptStore>();
        // A tombstone only has to outlive a NodeStarted still on its way to the tracker.
        await store.DeleteEndedAsync(silentSince, cancellationToken);
        var silent = await store.ClaimSilentAsync(silentSince, now, ClaimLimit, cancellationToken);
        if (silent.Count == 0)
            return 0;

        var sagas = scope.ServiceProvider.GetRequiredService<ILoadSagaRepository<WorkflowExecutionState>>();
        var saga = await bus.GetSendEndpoint(new Uri($"queue:{WorkflowExecutionStateDefinition.QueueName}"));
        var reported = 0;
        foreach (var execution in silent.GroupBy(s => s.Attempt.ExecutionId))
        {
            var runtime = RunningRuntime(await sagas.Load(execution.Key));
            foreach (var attempt in execution)
            {
                // Rows the saga no longer waits for (the execution ended, or moved past the attempt
                // without recording its result) are dropped here, without a saga step.
                if (runtime is null || !IsRunning(runtime, attempt.Attempt))
                {
                    await store.ForgetAsync(attempt.Attempt, cancellationToken);
                    continue;
                }
                logger.LogWarning("Attempt {Attempt} of {NodeId} (execution {ExecutionId}, item {ItemIndex}) on worker {WorkerId} has been silent since {LastSeenAt:O}; asking the saga to dispatch it again",
                    attempt.Attempt.Attempt, attempt.Attempt.NodeId, attempt.Attempt.ExecutionId, attempt.Attempt.ItemIndex, attempt.WorkerId, attempt.LastSeenAt);
                var notice = new NodeAttemptSilent
                {
                    ExecutionId = attempt.Attempt.ExecutionId,
                    NodeId = attempt.Attempt.NodeId,
                    ItemIndex = attempt.Attempt.ItemIndex,
                    Attempt = attempt.Attempt.Attempt,
                    WorkerId = attempt.WorkerId,
                    LastSeenAt = attempt.LastSeenAt,
                };
                // Bounded: a publisher confirm lost in a broker restart must not stop the watchdog.
                using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bound.CancelAfter(SendLimit);
                await saga.Send(notice, bound.Token).WaitAsync(bound.Token);
                reported++;
            }
        }
        return reported;
    }

    private static ExecutionRuntime? RunningRuntime(WorkflowExecutionState? saga) =>
        saga?.CurrentState is nameof(WorkflowExecutionStateMachine.Running) or nameof(WorkflowExecutionStateMachine.Paused)
        && !string.IsNullOrEmpty(saga.RuntimeJson)
            ? JsonSerializer.Deserialize<ExecutionRuntime>(saga.RuntimeJson)
            : null;

    private static bool IsRunning(ExecutionRuntime runtime, AttemptKey attempt) =>
        runtime.Nodes.TryGetValue(attempt.NodeId, out var node)
        && node.Instances.Any(i => i.Index == attempt.ItemIndex && i.Status == NodeStatus.Running && i.Attempt == attempt.Attempt);
}
