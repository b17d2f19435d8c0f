using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Integration.Tests.Infrastructure;

internal static class SingleDecisions
{
    /// <summary>
    /// One decision per step of a <paramref name="steps"/>-node chain: it finished once, every node ran,
    /// and each was dispatched as attempt 1 (a redelivery of the same attempt after a kill is fine; a
    /// second attempt or a second terminal event is not).
    /// </summary>
    public static void ShouldHaveBeenDecidedOnce(this FleetObserver observer, Guid id, int steps)
    {
        observer.Recorded<ExecutionSucceeded>(s => s.ExecutionId == id).Select(s => s.FinishedAt).Distinct()
            .Should().ContainSingle($"execution {id} finished once");
        observer.Recorded<NodeSucceeded>(s => s.ExecutionId == id).Select(s => s.Attempt).Distinct()
            .Should().Equal([1], $"no node of execution {id} was dispatched as a second attempt");
        observer.Recorded<NodeSucceeded>(s => s.ExecutionId == id).Select(s => s.NodeId).Distinct()
            .Should().HaveCount(steps, $"every step of execution {id} ran");
    }
}
