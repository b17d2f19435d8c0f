namespace Workflow.Messaging.Integration.Tests.Infrastructure;

internal static class Eventually
{
    /// <summary>Polls state that has no notification of its own (broker queues, processes) until it holds.</summary>
    public static async Task Holds(Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0}s waiting until {because}.");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
