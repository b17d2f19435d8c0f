using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Api;
using Workflow.Messaging.Coordinator.Api.Progress;
using Workflow.Messaging.Coordinator.Executions;
using Workflow.Messaging.Coordinator.Outputs;
using Workflow.Messaging.Coordinator.Queries;
using Workflow.Messaging.Engine.Planning;

namespace Workflow.Messaging.Coordinator.Console;

// The execution page's live feed: the API's event stream (same hub, same snapshot), with two
// differences a page needs. It stays open after the execution ends, because an operator may
// retry it from the same page; and it opens with the state of every fan-out item, so a page can
// count items by state from then on.
public static partial class ConsoleEndpoints
{
    public static async Task<IResult> LiveAsync(Guid id, IExecutionQueries queries, ExecutionProgressHub hub, ExecutionGraphCache graphs,
        IExecutionOutputStore outputs, CancellationToken cancellationToken)
    {
        // Subscribed before the snapshot is read, so no event between the two is lost.
        if (await hub.WatchAsync(id, c => queries.FindAsync(id, c), cancellationToken) is not { } watch)
            return TypedResults.NotFound();
        var (subscription, saga) = watch;
        var details = await ExecutionView.DetailsAsync(saga, graphs, outputs, cancellationToken, includeOutputs: false);
        var snapshot = JsonSerializer.Serialize(ExecutionView.Snapshot(details), ExecutionProgressConsumer.Json);
        var items = JsonSerializer.Serialize(details.Nodes
            .Where(n => n.ItemCount > 0 || n.Instances.Any(i => i.ItemIndex is not null))
            .ToDictionary(n => n.Id, ItemStates), ExecutionProgressConsumer.Json);
        return TypedResults.ServerSentEvents(Live(snapshot, items, subscription, cancellationToken));
    }

    /// <summary>One letter per item, in item order: 10,000 items are 10 kB, not a list of objects.</summary>
    private static string ItemStates(Api.Models.NodeDetails node)
    {
        var byIndex = node.Instances.Where(i => i.ItemIndex is not null).ToDictionary(i => i.ItemIndex!.Value, i => i.Status);
        var count = node.ItemCount ?? byIndex.Keys.Max() + 1;
        var letters = new StringBuilder(count);
        for (var index = 0; index < count; index++)
            letters.Append(byIndex.TryGetValue(index, out var status) ? Letter(status)
                // An item without an instance has succeeded (below ItemsStarted) or not begun.
                : index < (node.ItemsStarted ?? 0) ? Letter(NodeStatus.Succeeded)
                : node.Status.IsTerminal() ? Letter(NodeStatus.Cancelled) : Letter(NodeStatus.Pending));
        return letters.ToString();
    }

    private static char Letter(NodeStatus status) => status switch
    {
        NodeStatus.Pending => 'p',
        NodeStatus.Ready => 'q',
        NodeStatus.Running => 'r',
        NodeStatus.Waiting => 'w',
        NodeStatus.RetryScheduled => 't',
        NodeStatus.Succeeded => 's',
        NodeStatus.Failed => 'f',
        NodeStatus.Skipped => 'k',
        _ => 'c',
    };

    private static async IAsyncEnumerable<SseItem<string>> Live(string snapshot, string items, ExecutionProgressHub.Subscription subscription,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (subscription)
        {
            yield return new SseItem<string>(snapshot, "snapshot");
            yield return new SseItem<string>(items, "items");
            await foreach (var next in subscription.Events.ReadAllAsync(cancellationToken))
                yield return new SseItem<string>(next.Data, next.Event);
        }
    }
}
