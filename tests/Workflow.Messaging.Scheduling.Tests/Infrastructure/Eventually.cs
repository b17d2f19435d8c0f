namespace Workflow.Messaging.Scheduling.Tests.Infrastructure;

static class Eventually
{
    /// <summary>Polls a condition that has no notification of its own (job store contents) until it holds.</summary>
    public static async Task Holds(Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {timeout} waiting until {because}.");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
