namespace Workflow.Messaging.Persistence.Tests.Infrastructure;

/// <summary>Awaits a condition instead of sleeping for a guessed duration.</summary>
public static class Eventually
{
    public static async Task True(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting until {because}");
            await Task.Delay(25);
        }
    }

    public static Task True(Func<bool> condition, string because, TimeSpan? timeout = null) =>
        True(() => Task.FromResult(condition()), because, timeout);
}
