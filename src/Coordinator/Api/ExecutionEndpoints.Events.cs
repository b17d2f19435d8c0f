using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Contracts;
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
        IOptions<ApiOptions> options, CancellationToken cancellationToken)
    {
        // Subscribed before the snapshot is read, so no event between the two is lost.
        if (await hub.WatchAsync(id, c => queries.FindAsync(id, c), cancellationToken) is not { } watch)
            return NotFound(id);
        var (subscription, saga) = watch;
        // The snapshot shows states, not outputs: a stream per watcher must not load every output.
        // Only an execution that has already ended sends outputs: its end nodes', within the budget.
        var definitionJson = saga.DefinitionJson;
        var endNodes = string.IsNullOrEmpty(definitionJson) ? [] : graphs.Get(definitionJson).EndNodes;
        var details = await ExecutionView.DetailsAsync(saga, graphs, outputs, cancellationToken,
            includeOutputs: ExecutionView.StatusOf(saga) == ExecutionStatus.Succeeded, options.Value.MaxStatusOutputBytes, endNodes);
        var snapshot = new ExecutionStreamEvent("snapshot", JsonSerializer.Serialize(ExecutionView.Snapshot(details), ExecutionProgressConsumer.Json));
        var finished = ExecutionView.IsTerminal(details.Status)
            ? new ExecutionStreamEvent("finished", JsonSerializer.Serialize(ExecutionView.Finished(details, endNodes), ExecutionProgressConsumer.Json), Final: true)
            : null;
        return TypedResults.ServerSentEvents(Events(snapshot, finished, subscription, cancellationToken));
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
