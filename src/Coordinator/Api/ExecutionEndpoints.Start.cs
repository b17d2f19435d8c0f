using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflow.Messaging.Contracts;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Coordinator.Admission;
using Workflow.Messaging.Coordinator.Api.Models;
using Workflow.Messaging.Coordinator.Definitions;
using Workflow.Messaging.Coordinator.Queries;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Validation;
using Workflow.Messaging.ServiceDefaults;

namespace Workflow.Messaging.Coordinator.Api;

// Starting an execution: the request is read and checked here, the saga does the rest.
public static partial class ExecutionEndpoints
{
    public static async Task<Results<Accepted<ExecutionAccepted>, ValidationProblem, ProblemHttpResult>> StartAsync(
        HttpRequest request, IWorkflowDefinitionStore definitions, INodeTypeCatalog catalog, IExecutionQueries queries,
        ExecutionCommands commands, StartFingerprints fingerprints, AdmissionBacklog backlog, IOptions<AdmissionOptions> admission,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var key = request.Headers[IdempotencyKeys.Header].ToString();
        if (key.Length > IdempotencyKeys.MaxLength)
            return ApiProblems.Invalid(IdempotencyKeys.Header, $"The key has {key.Length} characters; at most {IdempotencyKeys.MaxLength} are allowed.");
        var executionId = key.Length > 0 ? IdempotencyKeys.ExecutionId(key) : NewId.NextGuid();

        var (document, problem) = await JsonBody.ReadAsync(request, cancellationToken);
        if (problem is not null)
            return problem;
        StartExecutionRequest body;
        using (document)
        {
            try
            {
                body = document!.RootElement.Deserialize<StartExecutionRequest>(RequestJson)!;
            }
            catch (JsonException e)
            {
                return ApiProblems.Invalid(e.Path ?? "$", "The request does not match the start request: " + e.Message.Split(" Path:")[0]);
            }
        }

        // The body may nest 64 deep, but the messages that carry input and definition wrap them again.
        if (body.Input is { } input && JsonDepth.IsTooDeep(input))
            return ApiProblems.Invalid("$.input", $"The input exceeds the maximum nesting depth of {JsonDepth.MaxDataDepth} levels (room is kept for the message envelope).");
        if (body.Definition is { } definition && JsonDepth.IsTooDeep(definition))
            return ApiProblems.Invalid("$.definition", $"The definition exceeds the maximum nesting depth of {JsonDepth.MaxDataDepth} levels (room is kept for the message envelope).");

        WorkflowDefinition? inline = null;
        if (body.Definition is { } raw)
        {
            if (body.WorkflowId is not null)
                return ApiProblems.Invalid("$.workflowId", "Give either workflowId or definition, not both.");
            var read = DefinitionReader.Read(raw.GetRawText(), catalog);
            if (!read.IsValid)
                return ApiProblems.InvalidDefinition(read.Problems, "$.definition");
            inline = read.Definition;
        }
        else if (string.IsNullOrWhiteSpace(body.WorkflowId))
        {
            return ApiProblems.Invalid("$.workflowId", "Give the id of a stored workflow (workflowId) or an inline definition.");
        }
        else if (body.Version is < 1)
        {
            return ApiProblems.Invalid("$.version", "A version is 1 or more.");
        }

        // A repeated start answers with the execution it started; the same key with another request
        // is refused (422). Checked against the stored execution first, so a repeat still answers
        // after its workflow was deleted; claimed only once the request is known to be valid, so a
        // corrected request can reuse the key of one that was refused.
        if (key.Length > 0 && await queries.FindAsync(executionId, cancellationToken) is { } existing && StartFingerprints.Accepted(existing))
            return StartFingerprints.Matches(existing, body, inline) ? Accepted(executionId) : ReusedKey(key, executionId);
        if (inline is null && await definitions.FindAsync(body.WorkflowId!, body.Version, cancellationToken) is null)
            return ApiProblems.Invalid("$.workflowId", $"No stored workflow '{body.WorkflowId}'{(body.Version is { } v ? $" version {v}" : "")}.");
        if (Backpressure(request, backlog, admission.Value) is { } tooMany)
            return tooMany;
        if (key.Length > 0 && !fingerprints.TryClaim(executionId, StartFingerprints.Of(body, inline)))
            return ReusedKey(key, executionId);

        var start = new StartWorkflow
        {
            ExecutionId = executionId,
            Definition = inline,
            WorkflowId = inline is null ? body.WorkflowId : null,
            WorkflowVersion = inline is null ? body.Version : null,
            Input = body.Input,
            RequestedBy = body.RequestedBy ?? "api",
            Priority = body.Priority,
        };
        await commands.SendAsync(start, cancellationToken);
        var logger = loggers.CreateLogger(typeof(ExecutionEndpoints));
        var workflowId = inline?.Id ?? body.WorkflowId;
        using (logger.BeginScope(new LogScope().Add(TelemetryTags.ExecutionId, executionId).Add(TelemetryTags.WorkflowId, workflowId)))
            logger.LogInformation("Execution {ExecutionId} of {WorkflowId} accepted, requested by {RequestedBy}", executionId, workflowId, start.RequestedBy);
        return Accepted(executionId);
    }

    private static ProblemHttpResult ReusedKey(string key, Guid executionId) =>
        ApiProblems.Unprocessable($"The {IdempotencyKeys.Header} '{key}' was already used for a different request (execution {executionId}). " +
            "Send the same request again to get that execution, or use a new key for a new one.");

    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };
}
