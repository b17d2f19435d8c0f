using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Coordinator.Tests.Admission;

/// <summary>A worker node that counts how many of its attempts run at once, across every execution and worker of the harness.</summary>
public sealed class CountingNode(CountingNode.Counter counter) : INodeExecutor
{
    public NodeTypeDescriptor Descriptor { get; } = new() { Type = "counted" };

    public async Task<NodeResult> ExecuteAsync(NodeExecutionContext context, CancellationToken cancellationToken)
    {
        counter.Enter();
        try
        {
            // The node's work: long enough that attempts overlap when nothing holds them back.
            await Task.Delay(TimeSpan.FromMilliseconds(30), cancellationToken);
            return NodeResult.Main(context.Input);
        }
        finally
        {
            counter.Leave();
        }
    }

    public sealed class Counter
    {
        private int _running;
        private int _most;
        private int _runs;

        public int Most => Volatile.Read(ref _most);
        public int Runs => Volatile.Read(ref _runs);

        public void Enter()
        {
            Interlocked.Increment(ref _runs);
            var now = Interlocked.Increment(ref _running);
            int most;
            while (now > (most = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, now, most) != most)
            {
            }
        }

        public void Leave() => Interlocked.Decrement(ref _running);
    }
}
