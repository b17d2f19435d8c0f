using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Admission;
using Workflow.Messaging.Coordinator.Admission.Pools;
using Workflow.Messaging.Coordinator.Api.Models;

namespace Workflow.Messaging.Coordinator.Api;

/// <summary>What an execution waits for, as the API and the console both show it.</summary>
internal static class ExecutionWaits
{
    /// <summary>
    /// Adds <c>waitingFor</c>: only an execution that is queued, or running with attempts possibly
    /// parked, can wait for a limit; a pool is shown with this coordinator's last reading of its depth.
    /// </summary>
    public static async Task<ExecutionDetails> WithWaitingForAsync(this ExecutionDetails details, IAdmissionStore admission, PoolGates pools,
        CancellationToken cancellationToken) =>
        details.Status is ExecutionStatus.Queued or ExecutionStatus.Running
        && await admission.WaitingForAsync(details.Id, cancellationToken) is { Count: > 0 } waiting
            ? details with { WaitingFor = waiting.Select(pools.Describe).ToList() }
            : details;
}
