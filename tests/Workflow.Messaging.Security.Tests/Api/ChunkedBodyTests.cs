using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Workflow.Messaging.Security.Tests.Infrastructure;

namespace Workflow.Messaging.Security.Tests.Api;

/// <summary>A body sent chunked (no Content-Length) meets the same 413 as one that declares its length.</summary>
public sealed class ChunkedBodyTests(KestrelEmbeddedCoordinator host) : IClassFixture<KestrelEmbeddedCoordinator>
{
    [Theory]
    [InlineData("/api/executions")]
    [InlineData("/api/definitions")]
    [InlineData("/api/executions/6f1c1f7e-3b2a-4f55-9a43-0d7c3c5b8e21/cancel")]
    public async Task When_a_2_MB_body_is_sent_chunked_then_the_answer_is_413_problem_details(string path)
    {
        var body = "{\"workflowId\":\"x\",\"input\":{\"pad\":\"" + new string('x', 2 * 1024 * 1024) + "\"}}";

        using var response = await host.CreateLoopbackClient().SendAsync(Chunked(path, body));

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadAsStringAsync()).Should().Contain("1048576");
    }

    [Fact]
    public async Task When_a_small_body_is_sent_chunked_then_it_is_read_as_usual()
    {
        var definition = "{\"id\":\"chunked-" + Guid.NewGuid().ToString("N") + "\",\"nodes\":[{\"id\":\"a\",\"type\":\"noop\"}],\"connections\":[]}";

        using var response = await host.CreateLoopbackClient().SendAsync(Chunked("/api/definitions", definition));

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static HttpRequestMessage Chunked(string path, string body)
    {
        var content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        return request;
    }

    /// <summary>A stream that cannot tell its length, so the client has to send it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
