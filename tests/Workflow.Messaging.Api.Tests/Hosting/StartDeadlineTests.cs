using System.Net;
using System.Net.Sockets;

namespace Workflow.Messaging.Api.Tests.Hosting;

/// <summary>
/// A coordinator's start waits until its receive endpoints are bound. One whose broker never
/// answers must not wait for ever while its executions stall: at Hosting:StartDeadline it stops with
/// exit code 75 for its supervisor to start it again. Its own process, so the exit is real.
/// </summary>
public sealed class StartDeadlineTests
{
    [Fact]
    public async Task A_coordinator_whose_broker_never_answers_stops_at_its_start_deadline_with_exit_code_75()
    {
        // Accepts connections and never says a word: the AMQP handshake waits (a refused port fails the start at once instead).
        using var silentBroker = new TcpListener(IPAddress.Loopback, 0);
        silentBroker.Start();
        var held = new List<Socket>();
        _ = Task.Run(async () =>
        {
            while (true)
                held.Add(await silentBroker.AcceptSocketAsync());
        });
        await using var coordinator = HostProcess.Start("deadline-coordinator", HostBinaries.Coordinator, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort()}",
            ["Persistence__Provider"] = "Memory",
            ["RabbitMq__Host"] = "127.0.0.1",
            ["RabbitMq__Port"] = ((IPEndPoint)silentBroker.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hosting__StartDeadline"] = "00:00:05",
        }, Path.Combine(AppContext.BaseDirectory, "host-logs"));

        // The deadline is 5 s; process start and the stop on a busy machine take the rest.
        var exitCode = await coordinator.WaitForExitAsync(TimeSpan.FromMinutes(2));

        exitCode.Should().Be(75, coordinator.LogTail());
        coordinator.LogTail(200).Should().Contain("did not finish starting within 00:00:05").And.Contain("Hosting:StartDeadline");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
