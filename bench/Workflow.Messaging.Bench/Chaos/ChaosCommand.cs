namespace Workflow.Messaging.Bench.Chaos;

internal static class ChaosCommand
{
    public static Task<int> RunAsync(BenchSettings settings, TextWriter output, CancellationToken cancellation) => Task.FromResult(2);
}
