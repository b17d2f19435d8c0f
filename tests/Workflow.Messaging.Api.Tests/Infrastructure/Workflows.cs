namespace Workflow.Messaging.Api.Tests.Infrastructure;

/// <summary>Small definitions, each with a unique id so tests sharing a host never see each other's executions.</summary>
public static class Workflows
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>greet: set → set; finishes at once with a greeting.</summary>
    public static string Greeting(string id, int? version = null) => $$$"""
        {
          "id": "{{{id}}}",{{{(version is { } v ? $"\n  \"version\": {v}," : "")}}}
          "name": "Greeting",
          "nodes": [
            { "id": "hello", "type": "set", "parameters": { "values": { "text": "Hello {{ $input.name }}" } } },
            { "id": "shout", "type": "set", "parameters": { "values": { "loud": "{{ $input.text }}!" } } }
          ],
          "connections": [ { "from": "hello", "to": "shout" } ]
        }
        """;

    /// <summary>An approval node holds the execution running until a decision arrives.</summary>
    public static string Approval(string id) => $$"""
        {
          "id": "{{id}}",
          "nodes": [
            { "id": "hold", "type": "approval", "parameters": { "timeout": "1h" } },
            { "id": "done", "type": "set", "parameters": { "values": { "approved": true } } },
            { "id": "refused", "type": "set", "parameters": { "values": { "approved": false } } }
          ],
          "connections": [
            { "from": "hold", "output": "approved", "to": "done" },
            { "from": "hold", "output": "rejected", "to": "refused" }
          ]
        }
        """;

    /// <summary>A worker node that fails its first attempt without retries: the execution fails, and an execution retry succeeds.</summary>
    public static string FailsOnce(string id) => $$"""
        {
          "id": "{{id}}",
          "nodes": [
            { "id": "flaky", "type": "fail", "parameters": { "failTimes": 1, "message": "first attempt fails" } }
          ]
        }
        """;

    /// <summary>Every kind of mistake at once: unknown type, duplicate id, dangling connection.</summary>
    public static string Invalid(string id) => $$"""
        {
          "id": "{{id}}",
          "nodes": [
            { "id": "a", "type": "no-such-type" },
            { "id": "a", "type": "set", "parameters": { "values": {} } }
          ],
          "connections": [ { "from": "a", "to": "ghost" } ]
        }
        """;
}
