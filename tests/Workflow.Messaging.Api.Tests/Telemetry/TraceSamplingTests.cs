using System.Net;
using System.Net.Sockets;
using System.Text;
using Workflow.Messaging.Api.Tests.Infrastructure;

namespace Workflow.Messaging.Api.Tests.Telemetry;

/// <summary>
/// The coordinator runs as its own process here. A span is recorded when any listener in the process
/// samples it, and every in-process host of this test assembly traces at ratio 1: one host still alive
/// from another test (a CI run saw it) made this coordinator export spans that its own sampler dropped,
/// even the root spans of its start-up. For the same reason the client sends no trace context (a CI
/// run saw the coordinator follow a caller whose span another host had sampled).
/// </summary>
public sealed class TraceSamplingTests
{
    [Fact]
    public async Task With_a_sample_ratio_of_zero_an_execution_leaves_no_spans_but_its_metrics_are_exported()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var address = $"http://127.0.0.1:{FreePort()}";
        await using var coordinator = HostProcess.Start("sampling-coordinator", HostBinaries.Coordinator, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = address,
            ["Api__Keys__0"] = CoordinatorFactory.Key,
            ["Persistence__Provider"] = "Memory",
            ["Telemetry__OtlpEndpoint"] = receiver.Endpoint.ToString(),
            ["Telemetry__TraceSampleRatio"] = "0",
            ["Telemetry__BatchExportDelay"] = "00:00:00.100",
            ["Telemetry__MetricExportInterval"] = "00:00:00.300",
            ["Telemetry__ServiceName"] = "coordinator-under-test",
        }, Path.Combine(AppContext.BaseDirectory, "host-logs"));
        // Nor may this test's requests carry a trace context: another host of this process may sample
        // the client's own span, and the coordinator follows a sampled caller, as it should. Null is the
        // handler's documented off switch; the no-output propagator still let a traceparent through here.
        using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null })
        {
            BaseAddress = new Uri(address),
        };
        client.DefaultRequestHeaders.Add("X-Api-Key", CoordinatorFactory.Key);
        await WaitUntilReadyAsync(client, coordinator);

        var workflow = Workflows.Unique("unsampled");
        var id = await SeqExportTests.StartFailingOnceAsync(client, workflow);
        await client.WaitForStatusAsync(id, "succeeded");

        // Spans are batched every 100 ms, metrics every 300 ms: one metrics export after the first
        // that counts the execution as finished, any span recorded while it ran would be out too.
        var finishedAt = await Eventually.FindAsync(() =>
        {
            var bodies = receiver.Bodies("metrics").Select(Encoding.UTF8.GetString).ToList();
            var index = bodies.FindIndex(text => text.Contains("workflow.executions.finished", StringComparison.Ordinal) && text.Contains(workflow, StringComparison.Ordinal));
            return index < 0 ? null : (object)index;
        });
        await Eventually.FindAsync(() => receiver.Bodies("metrics").Count > (int)finishedAt + 1 ? receiver : null);
        OtlpData.Spans(receiver.Bodies("traces")).Should().BeEmpty(
            "no span of this process was sampled: not its start-up's database commands, not the API request, and not the execution, whose spans follow the request");
    }

    // A process start on a busy 2-core machine has taken over a minute: the bound is generous, the
    // wait ends as soon as the host answers ready (or fails at once if it exited).
    private static async Task WaitUntilReadyAsync(HttpClient client, HostProcess coordinator)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (DateTime.UtcNow < deadline && !coordinator.HasExited)
        {
            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The coordinator process never became ready (exited: {coordinator.HasExited}):\n{coordinator.LogTail()}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
