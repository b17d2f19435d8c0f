using System.Net;
using System.Text;
using Workflow.Messaging.Api.Tests.Infrastructure;
using static Workflow.Messaging.Api.Tests.Infrastructure.ApiCalls;

namespace Workflow.Messaging.Api.Tests;

public sealed class AuthAndLimitsTests(CoordinatorFactory factory) : IClassFixture<CoordinatorFactory>
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong-key")]
    [InlineData("test-key-")]
    public async Task Api_calls_without_a_configured_key_are_unauthorized(string? key)
    {
        var client = factory.CreateClient();
        if (key is not null)
            client.DefaultRequestHeaders.Add("X-Api-Key", key);

        var list = await client.GetAsync("/api/executions");
        var start = await client.PostAsync("/api/executions", Json("{}"));

        list.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        list.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        start.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.GetAsync("/api/definitions")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(CoordinatorFactory.Key)]
    [InlineData(CoordinatorFactory.SecondKey)]
    public async Task Every_configured_key_is_accepted(string key)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);

        (await client.GetAsync("/api/executions")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/metrics")]
    public async Task Health_metrics_and_the_openapi_document_need_no_key(string path)
    {
        var response = await factory.CreateClient().GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Readiness_reports_the_bus_and_the_database()
    {
        var body = await factory.CreateClient().GetStringAsync("/health/ready");

        body.Should().Contain("masstransit-bus").And.Contain("\"database\":{\"status\":\"Healthy\"").And.Contain("Npgsql");
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint()
    {
        var document = await (await factory.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync();

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.Should().Contain([
            "/api/definitions", "/api/definitions/validate", "/api/definitions/{id}", "/api/definitions/{id}/versions/{version}",
            "/api/executions", "/api/executions/{id}", "/api/executions/{id}/events", "/api/executions/{id}/pause",
            "/api/executions/{id}/resume", "/api/executions/{id}/cancel", "/api/executions/{id}/retry",
            "/api/executions/{id}/nodes/{nodeId}/decision",
        ]);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413_before_it_is_read()
    {
        var client = factory.CreateApiClient();
        var padding = new string(' ', 1024 * 1024 + 1);
        var content = new StringContent("{" + padding + "\"workflowId\": \"x\"}", Encoding.UTF8, "application/json");

        var response = await client.PostAsync("/api/executions", content);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await client.PostAsync("/api/definitions", new StringContent(padding, Encoding.UTF8, "application/json")))
            .StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_body_without_a_length_is_cut_off_at_the_limit_with_413()
    {
        var client = factory.CreateApiClient();
        var bytes = Encoding.UTF8.GetBytes("{" + new string(' ', 2 * 1024 * 1024) + "}");
        var content = new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new("application/json");

        var response = await client.PostAsync("/api/definitions", content);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    /// <summary>Not seekable, so the client cannot send a Content-Length and streams the body.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

public sealed class EmbeddedModeAuthTests(OpenCoordinatorFactory factory) : IClassFixture<OpenCoordinatorFactory>
{
    [Fact]
    public async Task With_the_key_requirement_off_calls_without_a_key_are_served()
    {
        var client = factory.CreateClient();
        var workflow = Workflows.Unique("greet");

        await client.CreateDefinitionAsync(Workflows.Greeting(workflow));
        var id = await client.StartAsync(workflow, new { name = "open" });

        (await client.WaitForStatusAsync(id, "succeeded")).Node("shout").GetProperty("output").GetProperty("loud").GetString().Should().Be("Hello open!");
    }
}
