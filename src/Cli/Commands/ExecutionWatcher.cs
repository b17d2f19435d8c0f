using System.Threading.Channels;
using MassTransit;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Cli.Commands;

/// <summary>Forwards an execution's progress and terminal events to the command that waits on them.</summary>
internal sealed class ExecutionWatcher :
    IConsumer<ExecutionProgressed>,
    IConsumer<ExecutionSucceeded>,
    IConsumer<ExecutionFailed>,
    IConsumer<ExecutionCancelled>,
    IConsumer<ExecutionTimedOut>,
    IConsumer<ExecutionRejected>
{
    private readonly ChannelWriter<object> _events;

    public ExecutionWatcher(Channel<object> events) => _events = events.Writer;

    public Task Consume(ConsumeContext<ExecutionProgressed> context) => Forward(context.Message);
    public Task Consume(ConsumeContext<ExecutionSucceeded> context) => Forward(context.Message);
    public Task Consume(ConsumeContext<ExecutionFailed> context) => Forward(context.Message);
    public Task Consume(ConsumeContext<ExecutionCancelled> context) => Forward(context.Message);
    public Task Consume(ConsumeContext<ExecutionTimedOut> context) => Forward(context.Message);
    public Task Consume(ConsumeContext<ExecutionRejected> context) => Forward(context.Message);

    private Task Forward(object message) => _events.WriteAsync(message).AsTask();
}
