using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Api.Models;
using Workflow.Messaging.Coordinator.Executions;

namespace Workflow.Messaging.Coordinator.Api;

/// <summary>
/// Tells a repeated start (same <c>Idempotency-Key</c>, same request) from a key reused for
/// another request, which the IETF idempotency-key draft answers with 422. Two checks, because the
/// execution row is written by the saga a moment after the API answered: fingerprints of recent
/// starts in this process cover that window, and the row itself (workflow, version, definition,
/// input, requester) covers every start after it, on any coordinator and after restarts.
/// </summary>
public sealed class StartFingerprints
{
    /// <summary>Long enough for the saga to have written the row; bounded so a flood of keys cannot grow it.</summary>
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<Guid, string> _recent = new();
    private readonly ConcurrentQueue<(Guid Id, DateTime At)> _order = new();
    private readonly TimeProvider _time;

    public StartFingerprints(TimeProvider time) => _time = time;

    /// <summary>The request as the execution will see it: a SHA-256 of its meaningful fields, not of its whitespace.</summary>
    public static string Of(StartExecutionRequest request, WorkflowDefinition? inline)
    {
        var canonical = JsonSerializer.Serialize(new
        {
            workflowId = inline is null ? request.WorkflowId : null,
            version = inline is null ? request.Version : null,
            definition = inline is null ? null : JsonSerializer.Serialize(inline, WorkflowJson.Options),
            input = request.Input,
            requestedBy = RequestedBy(request),
        });
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>
    /// Remembers <paramref name="fingerprint"/> for the execution unless another was remembered
    /// first; false when the key was already used for a different request.
    /// </summary>
    public bool TryClaim(Guid executionId, string fingerprint)
    {
        Forget();
        var claimed = _recent.GetOrAdd(executionId, fingerprint);
        if (ReferenceEquals(claimed, fingerprint))
            _order.Enqueue((executionId, _time.GetUtcNow().UtcDateTime));
        return claimed == fingerprint;
    }

    /// <summary>
    /// Whether the execution's first step has recorded what was started. An in-memory saga can be
    /// read while that step runs (its workflow id is set only after the definition is looked up);
    /// until then the request is checked against the in-flight fingerprint instead.
    /// </summary>
    public static bool Accepted(WorkflowExecutionState saga) => saga.CreatedAt != default && !string.IsNullOrEmpty(saga.WorkflowId);

    /// <summary>Whether the stored execution is what this request would have started.</summary>
    public static bool Matches(WorkflowExecutionState saga, StartExecutionRequest request, WorkflowDefinition? inline)
    {
        if (!string.Equals(saga.RequestedBy, RequestedBy(request), StringComparison.Ordinal) || !SameInput(saga.InputJson, request.Input))
            return false;
        if (inline is not null)
            return string.IsNullOrEmpty(saga.DefinitionJson)
                ? saga.WorkflowId == inline.Id
                : saga.DefinitionJson == JsonSerializer.Serialize(inline, WorkflowJson.Options);
        return saga.WorkflowId == request.WorkflowId && (request.Version is null || saga.WorkflowVersion == request.Version);
    }

    private static string RequestedBy(StartExecutionRequest request) => request.RequestedBy ?? "api";

    private static bool SameInput(string? stored, JsonElement? sent)
    {
        if (stored is null || sent is null)
            return stored is null && sent is null;
        using var document = JsonDocument.Parse(stored, new JsonDocumentOptions { MaxDepth = 256 });
        return JsonElement.DeepEquals(document.RootElement, sent.Value);
    }

    private void Forget()
    {
        var horizon = _time.GetUtcNow().UtcDateTime - Window;
        while (_order.TryPeek(out var oldest) && (oldest.At < horizon || _order.Count > Capacity) && _order.TryDequeue(out oldest))
            _recent.TryRemove(oldest.Id, out _);
    }
}
