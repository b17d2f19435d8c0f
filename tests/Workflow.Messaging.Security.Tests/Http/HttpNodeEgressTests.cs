using System.Diagnostics;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Security.Tests.Http;

/// <summary>
/// The http-node probes of issue 11 against a real listener on loopback: with the default policy
/// none of them reaches it; the documented settings open it.
/// </summary>
public sealed class HttpNodeEgressTests(ListeningServer server) : IClassFixture<ListeningServer>, IDisposable
{
    private readonly HttpNodeRunner _default = new();

    public void Dispose() => _default.Dispose();

    [Theory]
    [InlineData("http://127.0.0.1:{port}/secret")]
    [InlineData("http://2130706433:{port}/secret")]
    [InlineData("http://0x7f000001:{port}/secret")]
    [InlineData("http://0177.0.0.1:{port}/secret")]
    [InlineData("http://127.1:{port}/secret")]
    [InlineData("http://localhost:{port}/secret")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/secret")]
    public async Task Loopback_in_any_spelling_is_refused_before_a_request_is_made(string url)
    {
        var before = server.Requests;

        var error = await _default.FailureOf(new { url = url.Replace("{port}", server.Port.ToString()) });

        error.Code.Should().Be("http.egress-denied", error.Message);
        error.Kind.Should().Be(NodeErrorKind.Fatal);
        error.Message.Should().Contain("loopback");
        server.Requests.Should().Be(before);
    }

    [Fact]
    public async Task The_cloud_metadata_address_is_refused()
    {
        var clock = Stopwatch.StartNew();

        var error = await _default.FailureOf(new { url = "http://169.254.169.254/latest/meta-data/", timeout = "5s" });

        error.Code.Should().Be("http.egress-denied");
        error.Message.Should().Contain("link-local");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "it is refused, not tried");
    }

    [Fact]
    public async Task AllowLoopback_opens_the_local_server()
    {
        using var local = new HttpNodeRunner(new() { ["Nodes:Http:AllowLoopback"] = "true" });

        var result = await local.SendAsync(new { url = $"http://127.0.0.1:{server.Port}/secret" });

        result.Output.GetProperty("body").GetString().Should().Be("internal-only");
    }

    [Fact]
    public async Task AllowedNetworks_opens_a_range()
    {
        using var open = new HttpNodeRunner(new() { ["Nodes:Http:AllowedNetworks:0"] = "127.0.0.0/8" });

        var result = await open.SendAsync(new { url = $"http://2130706433:{server.Port}/secret" });

        result.Output.GetProperty("status").GetInt32().Should().Be(200);
    }

    [Theory]
    [InlineData("X-Note", "a\r\nX-Injected: 1")]
    [InlineData("X-Note", "a\nGET /secret HTTP/1.1")]
    [InlineData("X-Note", "a\0b")]
    [InlineData("X-Bad\r\nName", "v")]
    public async Task A_header_with_CR_LF_or_NUL_is_refused_and_nothing_is_sent(string name, string value)
    {
        using var local = new HttpNodeRunner(new() { ["Nodes:Http:AllowLoopback"] = "true" });
        var before = server.Requests;

        var error = await local.FailureOf(new { url = $"http://127.0.0.1:{server.Port}/secret", headers = new Dictionary<string, string> { [name] = value } });

        error.Code.Should().Be("http.invalid-header");
        error.Kind.Should().Be(NodeErrorKind.Fatal);
        server.Requests.Should().Be(before);
    }

    [Theory]
    [InlineData("Host")]
    [InlineData("host")]
    [InlineData("Transfer-Encoding")]
    [InlineData("Content-Length")]
    public async Task A_header_the_client_owns_cannot_be_given(string name)
    {
        using var local = new HttpNodeRunner(new() { ["Nodes:Http:AllowLoopback"] = "true" });

        var error = await local.FailureOf(new { url = $"http://127.0.0.1:{server.Port}/secret", headers = new Dictionary<string, string> { [name] = "internal.example" } });

        error.Code.Should().Be("http.invalid-header");
    }

    [Fact]
    public async Task A_URL_with_CR_or_LF_is_refused()
    {
        var error = await _default.FailureOf(new { url = $"http://example.org/a\r\nX-Injected: 1" });

        error.Code.Should().Be("http.invalid-url");
    }

    [Fact]
    public async Task Credentials_in_the_URL_never_appear_in_an_error()
    {
        using var local = new HttpNodeRunner(new() { ["Nodes:Http:AllowLoopback"] = "true" });

        var denied = await _default.FailureOf(new { url = $"http://admin:hunter2@127.0.0.1:{server.Port}/secret" });
        var failed = await local.FailureOf(new { url = $"http://admin:hunter2@127.0.0.1:{server.Port}/status/500" });
        var refused = await local.FailureOf(new { url = "http://admin:hunter2@127.0.0.1:1/" });

        foreach (var error in new[] { denied, failed, refused })
        {
            error.Message.Should().NotContain("hunter2").And.NotContain("admin:");
            error.Message.Should().Contain("***@127.0.0.1");
        }
    }

    [Theory]
    [InlineData("stream")]
    [InlineData("declared")]
    public async Task A_body_past_the_cap_fails_the_node_and_memory_stays_bounded(string route)
    {
        using var local = new HttpNodeRunner(new() { ["Nodes:Http:AllowLoopback"] = "true" });
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var error = await local.FailureOf(new { url = $"http://127.0.0.1:{server.Port}/{route}/150" });

        error.Code.Should().Be("http.response-too-large");
        error.Kind.Should().Be(NodeErrorKind.Fatal);
        error.Message.Should().Contain("Nodes:Http:MaxResponseBytes").And.Contain("4194304");
        var after = GC.GetTotalMemory(forceFullCollection: true);
        (after - before).Should().BeLessThan(16L * 1024 * 1024);
    }

    [Fact]
    public async Task A_body_within_a_raised_cap_is_read_whole()
    {
        using var local = new HttpNodeRunner(new() { ["Nodes:Http:AllowLoopback"] = "true", ["Nodes:Http:MaxResponseBytes"] = (6 * 1024 * 1024).ToString() });

        var result = await local.SendAsync(new { url = $"http://127.0.0.1:{server.Port}/stream/5" });

        result.Output.GetProperty("body").GetString()!.Length.Should().Be(5 * 1024 * 1024);
    }
}
