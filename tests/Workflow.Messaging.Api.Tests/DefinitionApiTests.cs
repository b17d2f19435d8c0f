using System.Net;
using Workflow.Messaging.Api.Tests.Infrastructure;
using static Workflow.Messaging.Api.Tests.Infrastructure.ApiCalls;

namespace Workflow.Messaging.Api.Tests;

public sealed class DefinitionApiTests(CoordinatorFactory factory) : IClassFixture<CoordinatorFactory>
{
    private readonly HttpClient _client = factory.CreateApiClient();

    [Fact]
    public async Task Creating_a_definition_then_reading_it_by_id_and_by_version_returns_it()
    {
        var id = Workflows.Unique("greet");
        var created = await _client.PostAsync("/api/definitions", Json(Workflows.Greeting(id, version: 1)));

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        created.Headers.Location!.ToString().Should().Be($"/api/definitions/{id}/versions/1");
        var latest = await (await _client.GetAsync($"/api/definitions/{id}")).ReadJsonAsync();
        latest.GetProperty("nodes").GetArrayLength().Should().Be(2);
        var byVersion = await _client.GetAsync($"/api/definitions/{id}/versions/1");
        byVersion.StatusCode.Should().Be(HttpStatusCode.OK);
        (await byVersion.ReadJsonAsync()).GetProperty("version").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task A_definition_without_a_version_becomes_the_next_version_and_the_latest()
    {
        var id = Workflows.Unique("greet");
        await _client.CreateDefinitionAsync(Workflows.Greeting(id, version: 1));
        var second = await _client.PostAsync("/api/definitions", Json(Workflows.Greeting(id)));

        second.StatusCode.Should().Be(HttpStatusCode.Created);
        (await second.ReadJsonAsync()).GetProperty("version").GetInt32().Should().Be(2);
        (await (await _client.GetAsync($"/api/definitions/{id}")).ReadJsonAsync()).GetProperty("version").GetInt32().Should().Be(2);
        var list = await (await _client.GetAsync("/api/definitions")).ReadJsonAsync();
        var summary = list.EnumerateArray().Single(d => d.GetProperty("id").GetString() == id);
        summary.GetProperty("latestVersion").GetInt32().Should().Be(2);
        summary.GetProperty("versions").EnumerateArray().Select(v => v.GetInt32()).Should().Equal(1, 2);
    }

    [Fact]
    public async Task Creating_an_existing_version_again_is_a_conflict()
    {
        var id = Workflows.Unique("greet");
        await _client.CreateDefinitionAsync(Workflows.Greeting(id, version: 1));

        var again = await _client.PostAsync("/api/definitions", Json(Workflows.Greeting(id, version: 1)));

        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        again.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task An_invalid_definition_is_refused_with_every_problem_and_its_json_path()
    {
        var response = await _client.PostAsync("/api/definitions", Json(Workflows.Invalid(Workflows.Unique("bad"))));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.ReadJsonAsync();
        var problems = problem.GetProperty("problems").EnumerateArray().ToList();
        problems.Select(p => p.GetProperty("code").GetString()).Should().Contain(["unknown-node-type", "duplicate-node-id"]);
        problems.Select(p => p.GetProperty("path").GetString()).Should().Contain("$.nodes[0].type").And.Contain(p => p!.StartsWith("$.connections[0]"));
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Should().Contain("$.nodes[0].type");
    }

    [Fact]
    public async Task Malformed_json_is_a_bad_request_that_says_where()
    {
        var response = await _client.PostAsync("/api/definitions", Json("{ \"id\": \"x\", \"nodes\": [ }"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("line 1");
    }

    [Fact]
    public async Task Validate_reports_problems_without_storing_anything()
    {
        var id = Workflows.Unique("bad");
        var invalid = await (await _client.PostAsync("/api/definitions/validate", Json(Workflows.Invalid(id)))).ReadJsonAsync();
        var valid = await (await _client.PostAsync("/api/definitions/validate", Json(Workflows.Greeting(Workflows.Unique("ok"))))).ReadJsonAsync();

        invalid.GetProperty("valid").GetBoolean().Should().BeFalse();
        invalid.GetProperty("problems").GetArrayLength().Should().BeGreaterThanOrEqualTo(3);
        valid.GetProperty("valid").GetBoolean().Should().BeTrue();
        valid.GetProperty("problems").GetArrayLength().Should().Be(0);
        (await _client.GetAsync($"/api/definitions/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Unknown_definitions_and_versions_are_not_found()
    {
        var id = Workflows.Unique("greet");
        await _client.CreateDefinitionAsync(Workflows.Greeting(id, version: 1));

        (await _client.GetAsync("/api/definitions/no-such-workflow")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var missingVersion = await _client.GetAsync($"/api/definitions/{id}/versions/7");
        missingVersion.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await missingVersion.ReadJsonAsync()).GetProperty("detail").GetString().Should().Contain("version 7");
    }
}
