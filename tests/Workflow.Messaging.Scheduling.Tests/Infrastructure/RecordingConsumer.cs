using MassTransit;

namespace Workflow.Messaging.Scheduling.Tests.Infrastructure;

public sealed class RecordingConsumer<T>(MessageRecorder recorder) : IConsumer<T>
    where T : class
{
    public Task Consume(ConsumeContext<T> context)
    {
        recorder.Record(new RecordedMessage(
            context.Message,
            context.Headers.GetAll().ToDictionary(header => header.Key, header => (object?)header.Value),
            context.Headers.Get<Guid>(MessageHeaders.SchedulingTokenId),
            DateTime.UtcNow));
        return Task.CompletedTask;
    }
}
