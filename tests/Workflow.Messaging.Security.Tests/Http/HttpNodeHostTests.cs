using Workflow.Messaging.Security.Tests.Infrastructure;

namespace Workflow.Messaging.Security.Tests.Http;

/// <summary>
/// The http-node probes through the real coordinator host with its default settings: the internal
/// service is never reached and nothing of it comes back through the API.
/// </summary>
public sealed class HttpNodeHostTests(EmbeddedCoordinator host, ListeningServer server)
    : IClassFixture<EmbeddedCoordinator>, IClassFixture<ListeningServer>
{
    [Theory]
    [InlineData("http://127.0.0.1:{port}/secret")]
    [InlineData("http://2130706433:{port}/secret")]
    [InlineData("http://0x7f000001:{port}/secret")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    public async Task An_internal_address_fails_the_execution_without_a_request(string url)
    {
        var before = server.Requests;

        var execution = await host.WaitForEndAsync(
            await host.StartSingleNodeAsync("http", new { url = url.Replace("{port}", server.Port.ToString()) }), TimeSpan.FromMinutes(1));

        execution.GetProperty("status").GetString().Should().Be("failed");
        execution.GetProperty("error").GetProperty("code").GetString().Should().Be("http.egress-denied", execution.GetRawText());
        execution.GetRawText().Should().NotContain("internal-only");
        server.Requests.Should().Be(before);
    }
}
