using System.Text.Json;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Integration.Tests.Infrastructure;

/// <summary>Definitions the fleet tests run, in the documented JSON form.</summary>
internal static class Workflows
{
    /// <summary>Four delay branches between a start and a merge: enough parallel work for two workers.</summary>
    public static WorkflowDefinition ParallelBranches(params string[] branches) => Parse($$"""
        {
          "id": "parallel-branches",
          "nodes": [
            { "id": "start", "type": "noop" },
            {{string.Join(",\n", branches.Select(b => $$"""{ "id": "{{b}}", "type": "delay", "parameters": { "duration": "700ms" } }"""))}},
            { "id": "join", "type": "merge" }
          ],
          "connections": [
            {{string.Join(",\n", branches.Select(b => $$"""{ "from": "start", "to": "{{b}}" }, { "from": "{{b}}", "to": "join" }"""))}}
          ]
        }
        """);

    /// <summary>A start and one worker node, at most <paramref name="limit"/> executions of it running at once across the fleet.</summary>
    public static WorkflowDefinition Limited(string id, int limit, string duration) => Parse($$"""
        {
          "id": "{{id}}",
          "settings": { "maxConcurrentExecutions": {{limit}} },
          "nodes": [
            { "id": "start", "type": "noop" },
            { "id": "work", "type": "delay", "parameters": { "duration": "{{duration}}" } }
          ],
          "connections": [ { "from": "start", "to": "work" } ]
        }
        """);

    /// <summary>A start and one worker node on <paramref name="pool"/>.</summary>
    public static WorkflowDefinition OnPool(string id, string pool, string duration) => Parse($$"""
        {
          "id": "{{id}}",
          "nodes": [
            { "id": "start", "type": "noop" },
            { "id": "work", "type": "delay", "pool": "{{pool}}", "parameters": { "duration": "{{duration}}" }, "timeout": "1m" }
          ],
          "connections": [ { "from": "start", "to": "work" } ]
        }
        """);

    /// <summary>A fan-out over <c>$input.items</c> of a worker node that uses <paramref name="resource"/>.</summary>
    public static WorkflowDefinition UsesResource(string id, string resource, string duration) => Parse($$$"""
        {
          "id": "{{{id}}}",
          "settings": { "maxParallelNodes": 20 },
          "nodes": [
            { "id": "charge", "type": "delay", "resource": "{{{resource}}}", "parameters": { "duration": "{{{duration}}}" }, "timeout": "1m",
              "fanOut": { "items": "{{ $input.items }}" } }
          ]
        }
        """);

    /// <summary>One worker node holding its worker for <paramref name="duration"/>.</summary>
    public static WorkflowDefinition Delay(string nodeId, string duration) => Parse($$"""
        {
          "id": "delay-{{nodeId}}",
          "nodes": [ { "id": "{{nodeId}}", "type": "delay", "parameters": { "duration": "{{duration}}" }, "timeout": "1m" } ]
        }
        """);

    /// <summary>One node sent to a pool no worker consumes, without retries: only its lease can end it.</summary>
    public static WorkflowDefinition Unconsumed(string nodeId) => Parse($$"""
        {
          "id": "unconsumed-{{nodeId}}",
          "nodes": [ { "id": "{{nodeId}}", "type": "delay", "pool": "nobody-consumes", "parameters": { "duration": "1ms" }, "timeout": "1s" } ]
        }
        """);

    /// <summary>Two worker nodes in a row, each retried if its lease runs out.</summary>
    public static WorkflowDefinition TwoSteps(string duration) => Parse($$"""
        {
          "id": "two-steps",
          "nodes": [
            { "id": "first", "type": "delay", "parameters": { "duration": "{{duration}}" }, "timeout": "10s", "retry": { "maxAttempts": 3, "initialDelay": "1s" } },
            { "id": "second", "type": "delay", "parameters": { "duration": "{{duration}}" }, "timeout": "10s", "retry": { "maxAttempts": 3, "initialDelay": "1s" } }
          ],
          "connections": [ { "from": "first", "to": "second" } ]
        }
        """);

    /// <summary><paramref name="steps"/> worker nodes in a row, each holding its worker for <paramref name="duration"/>.</summary>
    public static WorkflowDefinition Chain(int steps, string duration) => Parse($$"""
        {
          "id": "chain-{{steps}}",
          "nodes": [
            {{string.Join(",\n", Enumerable.Range(1, steps).Select(i => $$"""{ "id": "step{{i}}", "type": "delay", "parameters": { "duration": "{{duration}}" } }"""))}}
          ],
          "connections": [
            {{string.Join(",\n", Enumerable.Range(1, steps - 1).Select(i => $$"""{ "from": "step{{i}}", "to": "step{{i + 1}}" }"""))}}
          ]
        }
        """);

    /// <summary>A node whose first attempt fails retryably; the retry is due <paramref name="retryDelay"/> later.</summary>
    public static WorkflowDefinition FailsOnceThenRetries(string retryDelay) => Parse($$"""
        {
          "id": "fails-once",
          "nodes": [
            {
              "id": "flaky", "type": "fail",
              "parameters": { "failTimes": 1, "retryable": true, "message": "first attempt fails" },
              "retry": { "maxAttempts": 2, "initialDelay": "{{retryDelay}}", "jitter": 0 }
            }
          ]
        }
        """);

    private static WorkflowDefinition Parse(string json) => JsonSerializer.Deserialize<WorkflowDefinition>(json, WorkflowJson.Options)!;
}
