using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Nodes;
using Workflow.Messaging.Engine.Nodes.Http;
using static Workflow.Messaging.Engine.Tests.Nodes.NodeTestContext;

namespace Workflow.Messaging.Engine.Tests.Nodes;

/// <summary>A real Kestrel on 127.0.0.1 with an ephemeral port, shared by the tests of this class.</summary>
public sealed class LoopbackServer : IAsyncLifetime
{
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/echo", async (HttpRequest request) =>
        {
            var echo = new JsonObject
            {
                ["received"] = await JsonNode.ParseAsync(request.Body),
                ["idempotencyKey"] = request.Headers["Idempotency-Key"].ToString(),
                ["custom"] = request.Headers["X-Custom"].ToString(),
            };
            return Results.Text(echo.ToJsonString(), "application/json");
        });
        _app.MapGet("/text", () => Results.Text("plain words"));
        _app.MapGet("/status/{code:int}", (int code) => Results.StatusCode(code));
        _app.MapGet("/slow", async (CancellationToken aborted) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), aborted);
            return Results.Ok();
        });
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }
}

public class HttpNodeTests(LoopbackServer server) : IClassFixture<LoopbackServer>, IDisposable
{
    // The test server listens on loopback, which the egress policy denies unless a host opens it.
    private static readonly Dictionary<string, string?> Loopback = new() { ["Nodes:Http:AllowLoopback"] = "true" };

    private readonly ServiceProvider _provider = NodeRegistryTests.BuildProvider(services => services.AddBuiltInNodes(), Loopback);

    public void Dispose() => _provider.Dispose();

    [Fact]
    public async Task Json_response_is_parsed_and_the_idempotency_key_is_sent()
    {
        var result = await Send($$$"""{"url":"{{{server.BaseUrl}}}/echo","method":"post","body":{"n":7},"headers":{"X-Custom":"yes"}}""");

        result.Ports.Should().Equal("main");
        result.Output.GetProperty("status").GetInt32().Should().Be(200);
        var body = result.Output.GetProperty("body");
        body.GetProperty("received").GetProperty("n").GetInt32().Should().Be(7);
        body.GetProperty("idempotencyKey").GetString().Should().Be("key-1");
        body.GetProperty("custom").GetString().Should().Be("yes");
        result.Output.GetProperty("headers").GetProperty("content-type").GetString().Should().StartWith("application/json");
    }

    [Fact]
    public async Task Non_json_response_body_is_a_string()
    {
        var result = await Send($$"""{"url":"{{server.BaseUrl}}/text"}""");

        result.Output.GetProperty("body").GetString().Should().Be("plain words");
    }

    [Theory]
    [InlineData(503, NodeErrorKind.Retryable)]
    [InlineData(429, NodeErrorKind.Retryable)]
    [InlineData(408, NodeErrorKind.Retryable)]
    [InlineData(404, NodeErrorKind.Fatal)]
    [InlineData(400, NodeErrorKind.Fatal)]
    public async Task Error_status_is_classified(int status, NodeErrorKind expected)
    {
        var error = await FailureOf($$"""{"url":"{{server.BaseUrl}}/status/{{status}}"}""");

        error.Kind.Should().Be(expected);
        error.Code.Should().Be($"http.status.{status}");
    }

    [Fact]
    public async Task A_slow_server_is_a_retryable_timeout()
    {
        var error = await FailureOf($$"""{"url":"{{server.BaseUrl}}/slow","timeout":"200ms"}""");

        error.Kind.Should().Be(NodeErrorKind.Retryable);
        error.Code.Should().Be("http.timeout");
    }

    [Fact]
    public async Task A_refused_connection_is_retryable()
    {
        var error = await FailureOf("""{"url":"http://127.0.0.1:1/"}""");

        error.Kind.Should().Be(NodeErrorKind.Retryable);
        error.Code.Should().Be("http.connection");
    }

    [Fact]
    public async Task A_host_outside_the_allow_list_is_fatal_and_named()
    {
        using var restricted = NodeRegistryTests.BuildProvider(services => services.AddBuiltInNodes(),
            new(Loopback) { ["Nodes:Http:AllowedHosts:0"] = "api.example.com" });

        var error = await FailureOf($$"""{"url":"{{server.BaseUrl}}/text"}""", restricted);

        error.Kind.Should().Be(NodeErrorKind.Fatal);
        error.Code.Should().Be("http.host-not-allowed");
        error.Message.Should().Contain("127.0.0.1");
    }

    [Fact]
    public async Task A_host_in_the_allow_list_is_called()
    {
        using var allowed = NodeRegistryTests.BuildProvider(services => services.AddBuiltInNodes(),
            new(Loopback) { ["Nodes:Http:AllowedHosts:0"] = "127.0.0.1" });

        var result = await Send($$"""{"url":"{{server.BaseUrl}}/text"}""", allowed);

        result.Output.GetProperty("status").GetInt32().Should().Be(200);
    }

    private Task<NodeResult> Send(string parameters, IServiceProvider? provider = null)
    {
        provider ??= _provider;
        var node = provider.GetServices<INodeExecutor>().OfType<HttpNode>().Single();
        return node.ExecuteAsync(Create("http", parameters, services: provider), default);
    }

    private async Task<NodeExecutionException> FailureOf(string parameters, IServiceProvider? provider = null)
    {
        var act = () => Send(parameters, provider);
        return (await act.Should().ThrowAsync<NodeExecutionException>().WaitAsync(TimeSpan.FromSeconds(10))).Which;
    }
}
