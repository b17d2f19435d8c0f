using System.Text.Json;
using Workflow.Messaging.Coordinator.Api;
using Workflow.Messaging.Coordinator.Api.Models;
using Workflow.Messaging.Coordinator.Executions;

namespace Workflow.Messaging.Security.Tests.Api;

/// <summary>
/// The comparison with a stored execution, which answers a reused key on another coordinator or
/// after a restart, when no fingerprint of the first request is in memory.
/// </summary>
public sealed class StartFingerprintTests
{
    private static readonly WorkflowExecutionState Stored = new()
    {
        WorkflowId = "orders", WorkflowVersion = 3, InputJson = "{\"amount\":10,\"tags\":[\"a\"]}", RequestedBy = "api",
    };

    [Fact]
    public void When_the_request_is_the_one_stored_then_it_matches_whatever_its_whitespace_or_version_omission()
    {
        StartFingerprints.Matches(Stored, Request("orders", null, "{ \"amount\" : 10, \"tags\": [ \"a\" ] }"), inline: null).Should().BeTrue();
        StartFingerprints.Matches(Stored, Request("orders", 3, "{\"amount\":10,\"tags\":[\"a\"]}"), inline: null).Should().BeTrue();
    }

    [Theory]
    [InlineData("orders", 3, "{\"amount\":11,\"tags\":[\"a\"]}", null)]
    [InlineData("orders", 2, "{\"amount\":10,\"tags\":[\"a\"]}", null)]
    [InlineData("refunds", null, "{\"amount\":10,\"tags\":[\"a\"]}", null)]
    [InlineData("orders", null, "{\"amount\":10,\"tags\":[\"a\"]}", "mallory")]
    [InlineData("orders", null, null, null)]
    public void When_any_field_differs_then_it_does_not_match(string workflowId, int? version, string? input, string? requestedBy)
    {
        StartFingerprints.Matches(Stored, Request(workflowId, version, input) with { RequestedBy = requestedBy }, inline: null).Should().BeFalse();
    }

    [Fact]
    public void When_only_whitespace_differs_then_the_fingerprints_are_equal_and_otherwise_not()
    {
        var a = StartFingerprints.Of(Request("orders", null, "{\"amount\":10}"), inline: null);
        var b = StartFingerprints.Of(Request("orders", null, "{ \"amount\" :  10 }"), inline: null);
        var c = StartFingerprints.Of(Request("orders", null, "{\"amount\":11}"), inline: null);

        a.Should().Be(b);
        a.Should().NotBe(c);
    }

    private static StartExecutionRequest Request(string workflowId, int? version, string? input) => new()
    {
        WorkflowId = workflowId,
        Version = version,
        Input = input is null ? null : JsonDocument.Parse(input).RootElement.Clone(),
    };
}
