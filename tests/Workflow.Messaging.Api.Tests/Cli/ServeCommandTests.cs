using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Workflow.Messaging.Cli.Commands;

namespace Workflow.Messaging.Api.Tests.Cli;

/// <summary>
/// <c>wf serve</c> as a browser on the same machine meets it: no API key, so any page could drive
/// it unless the server checks who is asking. Each test runs the real command on a free port.
/// </summary>
[Collection(ServeEnvironment.Name)]
public sealed class ServeCommandTests
{
    [Fact]
    public async Task When_a_page_of_another_origin_posts_without_json_then_serve_refuses_it_and_starts_nothing()
    {
        await using var serve = await Serve.StartAsync();
        var workflowId = $"serve-probe-{Guid.NewGuid():N}";

        // The probe of issue 11: a cross-site form or fetch, no Content-Type, Origin of the attacker's page.
        var crossSite = await serve.SendAsync(HttpMethod.Post, "/api/executions", body: null, origin: "http://evil.example");
        var noContentType = await serve.SendAsync(HttpMethod.Post, "/api/executions", body: null);
        var textPlain = await serve.SendAsync(HttpMethod.Post, "/api/executions", Inline(workflowId), contentType: "text/plain");
        var crossSiteJson = await serve.SendAsync(HttpMethod.Post, "/api/executions", Inline(workflowId), origin: "http://evil.example");
        var formCancel = await serve.SendAsync(HttpMethod.Post, $"/api/executions/{Guid.NewGuid()}/cancel", "reason=x", contentType: "application/x-www-form-urlencoded");
        // serve keeps executions in its SQLite file, which outlives this test: only this workflow's count.
        var list = await serve.SendAsync(HttpMethod.Get, $"/api/executions?workflowId={workflowId}");

        crossSite.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await crossSite.Content.ReadAsStringAsync()).Should().Contain("evil.example");
        noContentType.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        (await noContentType.Content.ReadAsStringAsync()).Should().Contain("application/json");
        textPlain.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        crossSiteJson.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        formCancel.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        (await list.Content.ReadAsStringAsync()).Should().Contain("\"total\":0", "nothing was started");
    }

    [Fact]
    public async Task When_a_rebinding_page_sends_its_own_host_name_then_serve_refuses_every_path()
    {
        await using var serve = await Serve.StartAsync();

        foreach (var path in new[] { "/api/executions", "/ui/executions", "/health/live" })
        {
            var response = await serve.SendAsync(HttpMethod.Get, path, host: $"evil.example:{serve.Port}");
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden, path);
        }
    }

    [Fact]
    public async Task When_the_local_user_calls_with_json_from_a_loopback_origin_then_serve_accepts_it()
    {
        await using var serve = await Serve.StartAsync();

        var started = await serve.SendAsync(HttpMethod.Post, "/api/executions", Inline($"serve-probe-{Guid.NewGuid():N}"), origin: $"http://127.0.0.1:{serve.Port}");
        var byName = await serve.SendAsync(HttpMethod.Get, "/api/executions", host: $"localhost:{serve.Port}", origin: $"http://localhost:{serve.Port}");

        started.StatusCode.Should().Be(HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        byName.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task When_the_environment_sets_Api_settings_then_serve_keeps_them()
    {
        using var environment = new ServeEnvironment(("Api__RequireApiKey", "true"), ("Api__Keys__0", "key-from-environment"), ("Api__MaxPageSize", "7"));
        await using var serve = await Serve.StartAsync();

        var withoutKey = await serve.SendAsync(HttpMethod.Get, "/api/executions");
        var withKey = await serve.SendAsync(HttpMethod.Get, "/api/executions?pageSize=7", key: "key-from-environment");
        var pastPageSize = await serve.SendAsync(HttpMethod.Get, "/api/executions?pageSize=8", key: "key-from-environment");

        withoutKey.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        withKey.StatusCode.Should().Be(HttpStatusCode.OK);
        pastPageSize.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task When_a_key_is_given_both_ways_then_serve_accepts_both()
    {
        using var environment = new ServeEnvironment(("Api__Keys__0", "key-from-environment"));
        await using var serve = await Serve.StartAsync("--api-key", "key-from-command-line");

        (await serve.SendAsync(HttpMethod.Get, "/api/executions")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await serve.SendAsync(HttpMethod.Get, "/api/executions", key: "key-from-environment")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await serve.SendAsync(HttpMethod.Get, "/api/executions", key: "key-from-command-line")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static string Inline(string workflowId) =>
        $"{{\"definition\":{{\"id\":\"{workflowId}\",\"nodes\":[{{\"id\":\"a\",\"type\":\"noop\"}}],\"connections\":[]}}}}";

    /// <summary><c>wf serve --port N</c> running in this process until disposed.</summary>
    private sealed class Serve : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly HttpClient _http;
        private Task<int> _run = Task.FromResult(0);

        private Serve(int port)
        {
            Port = port;
            _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        }

        public int Port { get; }

        public static async Task<Serve> StartAsync(params string[] extra)
        {
            var serve = new Serve(FreePort());
            var output = new StringWriter();
            serve._run = WfRoot.InvokeAsync(["serve", "--port", serve.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extra],
                new InvocationConfiguration { Output = output, Error = output }, serve._stop.Token);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!output.ToString().Contains("wf serve: API on", StringComparison.Ordinal))
            {
                if (serve._run.IsCompleted || DateTime.UtcNow > deadline)
                    throw new InvalidOperationException($"wf serve did not start: {output}");
                await Task.Delay(20);
            }
            return serve;
        }

        public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json",
            string? origin = null, string? host = null, string? key = null)
        {
            var request = new HttpRequestMessage(method, path);
            if (body is not null)
                request.Content = new StringContent(body, Encoding.UTF8, contentType);
            if (origin is not null)
                request.Headers.Add("Origin", origin);
            if (host is not null)
                request.Headers.Host = host;
            if (key is not null)
                request.Headers.Add("X-Api-Key", key);
            return _http.SendAsync(request);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run;
            _http.Dispose();
            _stop.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}

/// <summary>
/// Process environment variables for one test, restored afterwards. The serve tests form a
/// collection without parallelization, which xUnit runs after the parallel ones and alone, so no
/// other host of this run is built while a variable is set.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServeEnvironment : IDisposable
{
    public const string Name = "wf serve environment";
    private readonly List<(string Name, string? Value)> _previous = [];

    public ServeEnvironment() { }

    public ServeEnvironment(params (string Name, string Value)[] variables)
    {
        foreach (var (name, value) in variables)
        {
            _previous.Add((name, Environment.GetEnvironmentVariable(name)));
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in _previous)
            Environment.SetEnvironmentVariable(name, value);
    }
}
