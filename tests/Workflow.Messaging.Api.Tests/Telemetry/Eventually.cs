namespace Workflow.Messaging.Api.Tests.Telemetry;

/// <summary>Telemetry arrives in batches after the fact: probe what a receiver holds until the expected item is there.</summary>
public static class Eventually
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static async Task<T> FindAsync<T>(Func<T?> probe, Func<string>? describe = null) where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } found)
                return found;
            await Task.Delay(50);
        }
        throw new TimeoutException($"The expected telemetry never arrived{(describe is null ? "" : ": " + describe())}.");
    }
}
