using System.Collections.Concurrent;
using MassTransit;

namespace Workflow.Messaging.Bench.Measurement;

/// <summary>
/// In-process message counts by type: what each node costs in sends, publishes and saga steps
/// when there is no broker to ask.
/// </summary>
internal sealed class MessageCounter : IConsumeObserver, ISendObserver, IPublishObserver
{
    private readonly ConcurrentDictionary<string, long> _consumed = new(StringComparer.Ordinal);
    private long _sent;
    private long _published;

    public long Sent => Interlocked.Read(ref _sent);
    public long Published => Interlocked.Read(ref _published);
    public long Consumed => _consumed.Values.Sum();

    public IReadOnlyDictionary<string, long> ConsumedByType => _consumed;

    public void Reset()
    {
        _consumed.Clear();
        Interlocked.Exchange(ref _sent, 0);
        Interlocked.Exchange(ref _published, 0);
    }

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class
    {
        _consumed.AddOrUpdate(typeof(T).Name, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public Task PostSend<T>(SendContext<T> context) where T : class
    {
        Interlocked.Increment(ref _sent);
        return Task.CompletedTask;
    }

    public Task PostPublish<T>(PublishContext<T> context) where T : class
    {
        Interlocked.Increment(ref _published);
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;
    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    public Task PreSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;
    public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;
    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
