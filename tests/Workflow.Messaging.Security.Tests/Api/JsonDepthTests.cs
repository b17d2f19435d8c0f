using System.Net;
using System.Text;
using Workflow.Messaging.Security.Tests.Infrastructure;

namespace Workflow.Messaging.Security.Tests.Api;

public sealed class JsonDepthTests(EmbeddedCoordinator host) : IClassFixture<EmbeddedCoordinator>
{
    [Theory]
    [InlineData("/api/executions")]
    [InlineData("/api/definitions")]
    public async Task A_body_nested_ten_thousand_deep_is_a_400_that_says_depth(string path)
    {
        var nested = "{\"workflowId\":\"x\",\"input\":" + string.Concat(Enumerable.Repeat("[", 10_000)) + string.Concat(Enumerable.Repeat("]", 10_000)) + "}";

        var response = await host.CreateClient().PostAsync(path, new StringContent(nested, Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadAsStringAsync();
        problem.Should().Contain("maximum depth of 64").And.NotContain("Malformed");
    }
}
