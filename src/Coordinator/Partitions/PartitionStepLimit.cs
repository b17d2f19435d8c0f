using MassTransit;

namespace Workflow.Messaging.Coordinator.Partitions;

/// <summary>
/// Keeps <see cref="CoordinatorOptions.SagaConcurrencyLimit"/> a limit of the coordinator, not of each
/// partition endpoint: a coordinator holding every partition would otherwise run that many steps per
/// partition at once, and wait on its database connections instead.
/// </summary>
public sealed class PartitionStepLimit(int limit) : IFilter<ConsumeContext>
{
    private readonly SemaphoreSlim _steps = new(limit, limit);

    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        await _steps.WaitAsync(context.CancellationToken);
        try
        {
            await next.Send(context);
        }
        finally
        {
            _steps.Release();
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("partitionStepLimit");
}
