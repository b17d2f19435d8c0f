using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Nodes.Http;
using Workflow.Messaging.Engine.Validation;

namespace Workflow.Messaging.Coordinator.Tests;

/// <summary>Every sample in samples/ is read, validated and run as a user would run it.</summary>
public class SampleWorkflowTests
{
    [Fact]
    public async Task The_order_pipeline_reserves_every_line_charges_after_one_retry_and_confirms()
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = await h.StartAsync(Sample(h, "order-pipeline.json"), JsonDocument.Parse(File.ReadAllText("samples/order-pipeline.input.json")).RootElement);

        await h.WaitForAsync(id, m => m.Succeeded);

        var confirm = await h.OutputAsync(id, "confirm");
        confirm.GetProperty("status").GetString().Should().Be("confirmed");
        confirm.GetProperty("reservedLines").EnumerateArray().Select(l => l.GetProperty("sku").GetString()).Should().Equal("book-123", "pen-7", "mug-2");
        h.Harness.Consumed.Select<ExecuteNode>(x => x.Context.Message.ExecutionId == id && x.Context.Message.NodeId == "charge")
            .Select(x => x.Context.Message.Attempt).Should().BeEquivalentTo([1, 2]);
    }

    [Theory]
    [InlineData(2, "live")]
    [InlineData(100, "fallback")]
    public async Task The_http_fetch_retries_server_errors_and_falls_back_when_they_persist(int failuresBeforeSuccess, string expectedSource)
    {
        await using var server = await PriceServer.StartAsync(failuresBeforeSuccess);
        // The price server listens on loopback, which the http node's egress policy opens only on request.
        await using var h = await ExecutionHarness.StartAsync(services => services.Configure<HttpNodeOptions>(o => o.AllowLoopback = true));
        var id = await h.StartAsync(Sample(h, "http-fetch-with-retries.json"), new { url = server.Url });

        var done = await h.WaitForAsync(id, m => m.Succeeded);

        var outcome = await h.OutputAsync(id, expectedSource == "live" ? "price" : "fallback");
        outcome.GetProperty("source").GetString().Should().Be(expectedSource);
        if (expectedSource == "live")
        {
            outcome.GetProperty("price").GetDecimal().Should().Be(9.99m);
            server.Requests.Should().Be(3);
        }
        else
        {
            server.Requests.Should().Be(4, "maxAttempts is 4");
            outcome.GetProperty("reason").GetString().Should().Contain("503");
        }
        done.FinalStatus.Should().Be(ExecutionStatus.Succeeded);
    }

    [Theory]
    [InlineData("small", null, "policy")]
    [InlineData("large", true, "manager")]
    public async Task The_expense_approval_pays_small_amounts_at_once_and_large_ones_after_a_decision(string band, bool? approve, string approvedBy)
    {
        await using var h = await ExecutionHarness.StartAsync();
        var id = await h.StartAsync(Sample(h, "approval-flow.json"), new { band, amount = 120 });
        if (approve is { } decision)
        {
            await h.Harness.Published.Any<ExecutionProgressed>(x => x.Context.Message.ExecutionId == id
                && x.Context.Message.Transitions.Any(t => t.NodeId == "manager" && t.Status == NodeStatus.Waiting));
            await h.PublishAsync(new SubmitDecision { ExecutionId = id, NodeId = "manager", Approved = decision, DecidedBy = "manager" });
        }

        await h.WaitForAsync(id, m => m.Succeeded);

        var pay = await h.OutputAsync(id, "pay");
        pay.GetProperty("paid").GetInt32().Should().Be(120);
        var approval = pay.GetProperty("approval");
        (approval.TryGetProperty("by", out var by) ? by : approval.GetProperty("decidedBy")).GetString().Should().Be(approvedBy);
    }

    private static WorkflowDefinition Sample(ExecutionHarness h, string file)
    {
        var result = DefinitionReader.Read(File.ReadAllText(Path.Combine("samples", file)), h.Services.GetRequiredService<INodeTypeCatalog>());
        result.Problems.Should().BeEmpty();
        return result.Definition!;
    }

    /// <summary>A price service on loopback that answers 503 a given number of times, then 200.</summary>
    private sealed class PriceServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _requests;

        private PriceServer(WebApplication app) => _app = app;

        public int Requests => Volatile.Read(ref _requests);
        public string Url { get; private set; } = "";

        public static async Task<PriceServer> StartAsync(int failuresBeforeSuccess)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var server = new PriceServer(app);
            app.MapGet("/price", () => Interlocked.Increment(ref server._requests) <= failuresBeforeSuccess
                ? Results.StatusCode(503)
                : Results.Json(new { sku = "book-123", price = 9.99m }));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            server.Url = $"{address}/price";
            return server;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
