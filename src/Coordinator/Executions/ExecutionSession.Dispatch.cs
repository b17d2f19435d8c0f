using System.Text.Json;
using MassTransit;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Planning;
using Workflow.Messaging.Engine.Templates;

namespace Workflow.Messaging.Coordinator.Executions;

// Turning a dispatch decision into work: an ExecuteNode to the pool's queue, an inline run, or a
// durable timer. A dispatch that cannot be built (bad template, bad duration) fails the node
// fatally through the planner, like any other failure.
internal sealed partial class ExecutionSession
{
    public const string InlineWorkerId = "coordinator";

    private async Task<PlanStep?> DispatchAsync(InstanceRef instance)
    {
        var node = Graph.Node(instance.NodeId);
        var placement = PlacementOf(instance.NodeId);
        JsonElement input, parameters;
        try
        {
            input = await InstanceInputAsync(instance);
            parameters = await RenderParametersAsync(node, input, instance.ItemIndex);
        }
        catch (TemplateException exception)
        {
            return Fail(instance, NodeErrorKind.Fatal, exception.Message, "template");
        }
        // Joins and templates can nest data deeper than any message can carry: the node fails
        // instead of the step failing to send, which would leave the execution running.
        if (JsonDepth.IsTooDeep(input) || JsonDepth.IsTooDeep(parameters))
            return Fail(instance, NodeErrorKind.Fatal,
                $"The node's {(JsonDepth.IsTooDeep(input) ? "input" : "parameters")} are nested more than {JsonDepth.MaxDataDepth} levels deep, the most a message can carry.", "node.input-too-deep");

        switch (placement)
        {
            case NodePlacement.Timer:
                return await HoldAsync(instance, parameters, "duration", required: true);
            case NodePlacement.Approval:
                return await HoldAsync(instance, parameters, "timeout", required: false);
        }

        var command = new ExecuteNode
        {
            ExecutionId = ExecutionId,
            WorkflowId = Saga.WorkflowId,
            NodeId = instance.NodeId,
            NodeType = node.Type,
            Attempt = instance.Attempt,
            ItemIndex = instance.ItemIndex,
            Parameters = parameters,
            Input = input,
            IdempotencyKey = IdempotencyKey(instance),
            Timeout = node.Timeout ?? _services.Options.DefaultNodeTimeout,
            DispatchedAt = Now,
        };
        if (placement == NodePlacement.Inline)
            return await RunInlineAsync(instance, command);

        // To the pool's queue, or through admission for a node under a resource or node-type limit.
        await Admission.NodeAdmission.SendAsync(_context, node, command, _services.Admission);
        return null;
    }

    /// <summary>Same for every delivery of one attempt of one instance, different for every other.</summary>
    public string IdempotencyKey(InstanceRef instance) =>
        $"{ExecutionId:N}:{instance.NodeId}:{instance.Attempt}:{instance.ItemIndex?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}";

    // Cheap control nodes run here, inside the step: no queue round trip, and their result is in
    // the same transaction as the decision that dispatched them.
    private async Task<PlanStep> RunInlineAsync(InstanceRef instance, ExecuteNode command)
    {
        if (!_services.Registry.TryGetExecutor(command.NodeType, out var executor))
            return Fail(instance, NodeErrorKind.Fatal, $"No executor for inline node type '{command.NodeType}'.", "unknown-node-type");
        try
        {
            var result = await executor.ExecuteAsync(NodeExecutionContext.For(command, _services.Services), Cancellation);
            if (_services.Services.GetRequiredService<NodeOutputLimit>().Check(result.Output) is { } tooLarge)
                return Planner.Failed(Runtime, instance, tooLarge, InlineWorkerId, Now, Dispatch);
            var step = Planner.Succeeded(Runtime, instance, result.Ports, InlineWorkerId, Now, Dispatch);
            if (step.Accepted)
                await SaveOutputAsync(instance.NodeId, instance.ItemIndex, result.Output);
            return step;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !Cancellation.IsCancellationRequested)
        {
            return Planner.Failed(Runtime, instance, ErrorClassifier.Classify(exception), InlineWorkerId, Now, Dispatch);
        }
    }

    // Wait and approval nodes hold no worker: a durable timer brings the execution back.
    private async Task<PlanStep?> HoldAsync(InstanceRef instance, JsonElement parameters, string parameter, bool required)
    {
        var text = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(parameter, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
        if (text is null && !required)
            return null;
        if (!Duration.TryParse(text, out var delay))
            return Fail(instance, NodeErrorKind.Fatal, $"Parameter '{parameter}' must be a duration such as 30s or 5m, got '{text}'.", "invalid-duration");
        await ScheduleSelfAsync(delay, new WaitElapsed { ExecutionId = ExecutionId, NodeId = instance.NodeId, Attempt = instance.Attempt, ItemIndex = instance.ItemIndex });
        return null;
    }

    private PlanStep Fail(InstanceRef instance, NodeErrorKind kind, string message, string code) =>
        Planner.Failed(Runtime, instance, new NodeError { Kind = kind, Message = message, Code = code }, InlineWorkerId, Now, Dispatch);

    private async Task<PlanStep> ExpandFanOutAsync(string nodeId)
    {
        try
        {
            var items = await ItemsAsync(nodeId, fresh: true);
            return Planner.ExpandFanOut(Runtime, nodeId, items.Length, error: null, Now, Dispatch);
        }
        catch (TemplateException exception)
        {
            var error = new NodeError { Kind = NodeErrorKind.Fatal, Message = exception.Message, Code = "fanout.items" };
            return Planner.ExpandFanOut(Runtime, nodeId, 0, error, Now, Dispatch);
        }
    }

    // Expansion reads the items afresh; the dispatches after it, in this step or later ones, reuse them.
    private async Task<JsonElement[]> ItemsAsync(string nodeId, bool fresh = false)
    {
        if (_items.TryGetValue(nodeId, out var cached))
            return cached;
        if (!fresh && _services.FanOutItems.TryGet(ExecutionId, nodeId, out cached))
            return _items[nodeId] = cached;
        var node = Graph.Node(nodeId);
        var input = await NodeInputAsync(nodeId);
        var items = TemplateRenderer.RenderString(node.FanOut!.Items, await ScopeAsync(input, [node.FanOut.Items], null, null));
        if (items.ValueKind != JsonValueKind.Array)
            throw new TemplateException($"fanOut.items of node '{nodeId}' must yield an array, but '{node.FanOut.Items}' yielded {items.ValueKind.ToString().ToLowerInvariant()}.");
        _items[nodeId] = [.. items.EnumerateArray()];
        _services.FanOutItems.Set(ExecutionId, nodeId, _items[nodeId]);
        return _items[nodeId];
    }

    public NodePlacement PlacementOf(string nodeId) =>
        _services.Catalog.TryGet(Graph.Node(nodeId).Type, out var descriptor) ? descriptor.Placement : NodePlacement.Worker;

    public Task<JsonElement> InputOfAsync(InstanceRef instance) => InstanceInputAsync(instance);

    private async Task<JsonElement> InstanceInputAsync(InstanceRef instance) =>
        instance.ItemIndex is { } index ? (await ItemsAsync(instance.NodeId))[index] : await NodeInputAsync(instance.NodeId);

    // A start node gets the execution input; a node fed by one delivering connection gets that
    // output; a join gets an object keyed by the delivering nodes' ids.
    private async Task<JsonElement> NodeInputAsync(string nodeId)
    {
        var incoming = Graph.Incoming(nodeId);
        if (incoming.Count == 0)
            return ExecutionInput;
        var delivering = incoming
            .Where(e => Runtime[e.From].IsTerminal && Runtime[e.From].Ports?.Contains(e.Output, StringComparer.Ordinal) == true)
            .Select(e => e.From)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var outputs = await OutputsAsync(delivering);
        if (delivering.Count == 1)
            return outputs.GetValueOrDefault(delivering[0]);
        return JsonSerializer.SerializeToElement(outputs);
    }

    private async Task<JsonElement> RenderParametersAsync(NodeDefinition node, JsonElement input, int? itemIndex)
    {
        var parameters = JsonSerializer.SerializeToElement(node.Parameters);
        if (!TemplateRenderer.HasTemplates(parameters))
            return parameters;
        var item = itemIndex is null ? (JsonElement?)null : input;
        return TemplateRenderer.Render(parameters, await ScopeAsync(input, TemplateRenderer.Strings(parameters), item, itemIndex));
    }

    private async Task<TemplateScope> ScopeAsync(JsonElement input, IEnumerable<string> templates, JsonElement? item, int? itemIndex)
    {
        var referenced = TemplateRenderer.ReferencedNodes(templates);
        var outputs = await OutputsAsync(referenced.Where(Graph.Contains).ToList());
        return new TemplateScope
        {
            Input = input,
            ExecutionInput = ExecutionInput,
            ExecutionId = ExecutionId,
            WorkflowId = Saga.WorkflowId,
            NodeOutput = id => outputs.TryGetValue(id, out var output) ? output : null,
            Item = item,
            ItemIndex = itemIndex,
        };
    }

    private JsonElement ExecutionInput => _executionInput ??= Saga.InputJson is null
        ? JsonSerializer.SerializeToElement(new { })
        : JsonDocument.Parse(Saga.InputJson).RootElement;

    private async Task<Dictionary<string, JsonElement>> OutputsAsync(IReadOnlyCollection<string> nodeIds)
    {
        var missing = nodeIds.Where(id => !_outputs.ContainsKey(id)).ToList();
        if (missing.Count > 0)
            foreach (var (id, output) in await _services.Outputs.LoadAsync(ExecutionId, missing, Cancellation))
                _outputs[id] = output;
        return nodeIds.Where(_outputs.ContainsKey).ToDictionary(id => id, id => _outputs[id], StringComparer.Ordinal);
    }

    private async Task SaveErrorOutputsAsync(PlanStep step)
    {
        foreach (var failed in step.ErrorOutputs)
        {
            var node = Runtime[failed.NodeId];
            var error = node.Instances.FirstOrDefault(i => i.Index == failed.ItemIndex)?.LastError ?? node.Error;
            await SaveOutputAsync(failed.NodeId, failed.ItemIndex, JsonSerializer.SerializeToElement(new { error }, WorkflowJson.Options));
        }
    }

    // Item outputs are joined in item order, whatever order the workers finished in.
    private async Task JoinFanOutsAsync(PlanStep step)
    {
        foreach (var nodeId in step.CompletedFanOuts)
        {
            _services.FanOutItems.Forget(ExecutionId, nodeId);
            var count = Runtime[nodeId].TotalItems;
            var items = await _services.Outputs.LoadItemsAsync(ExecutionId, nodeId, count, Cancellation);
            await SaveOutputAsync(nodeId, null, JsonSerializer.SerializeToElement(items));
        }
    }
}
