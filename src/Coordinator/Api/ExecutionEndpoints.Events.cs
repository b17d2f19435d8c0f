using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflow.Messaging.Coordinator.Api.Progress;
using Workflow.Messaging.Coordinator.Executions;
using Workflow.Messaging.Coordinator.Outputs;
using Workflow.Messaging.Coordinator.Queries;

namespace Workflow.Messaging.Coordinator.Api;

// The server-sent event stream of one execution: a snapshot, then what the hub hears from the bus.
public static partial class ExecutionEndpoints
{
    public static async Task<Results<ServerSentEventsResult<string>, ProblemHttpResult>> StreamAsync(
        Guid id, IExecutionQueries queries, ExecutionProgressHub hub, ExecutionGraphCache graphs, IExecutionOutputStore outputs,
        CancellationToken cancellationToken)
    {
        // Subscribed before the snapshot is read, so no event between the two is lost.
        var subscription = await hub.SubscribeAsync(id, cancellationToken);
        var saga = await queries.FindAsync(id, cancellationToken);
        if (saga is null)
        {
            subscription.Dispose();
            return NotFound(id);
        }
        var definitionJson = saga.DefinitionJson;
        var details = await ExecutionView.DetailsAsync(saga, graphs, outputs, cancellationToken);
        var snapshot = new ExecutionStreamEvent("snapshot", JsonSerializer.Serialize(ExecutionView.Snapshot(details), ExecutionProgressConsumer.Json));
        ExecutionStreamEvent? ended = null;
        if (ExecutionView.IsTerminal(details.Status))
        {
            var endNodes = string.IsNullOrEmpty(definitionJson) ? [] : graphs.Get(definitionJson).EndNodes;
            ended = new ExecutionStreamEvent("finished", JsonSerializer.Serialize(ExecutionView.Finished(details, endNodes), ExecutionProgressConsumer.Json), Final: true);
        }
        return TypedResults.ServerSentEvents(Events(snapshot, ended, subscription, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<string>> Events(ExecutionStreamEvent snapshot, ExecutionStreamEvent? ended,
        ExecutionProgressHub.Subscription subscription, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (subscription)
        {
            yield return new SseItem<string>(snapshot.Data, snapshot.Event);
            if (ended is not null)
            {
                yield return new SseItem<string>(ended.Data, ended.Event);
                yield break;
            }
            await foreach (var next in subscription.Events.ReadAllAsync(cancellationToken))
            {
                yield return new SseItem<string>(next.Data, next.Event);
                if (next.Final)
                    yield break;
            }
        }
    }
}
