using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Api.Tests.Infrastructure;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Persistence;

namespace Workflow.Messaging.Api.Tests;

/// <summary>
/// On PostgreSQL a step publishes ExecutionProgressed only for an execution an event stream watches
/// (Coordinator:Progress=WhileWatched, the default). The watch lease is short here, so that its
/// renewal can be seen within a test.
/// </summary>
public sealed class ProgressWatchApiTests(ProgressWatchApiTests.ShortLeaseFactory factory) : IClassFixture<ProgressWatchApiTests.ShortLeaseFactory>
{
    public sealed class ShortLeaseFactory() : CoordinatorFactory(new Dictionary<string, string?> { ["Coordinator:ProgressWatchLease"] = "00:00:03" });

    private readonly HttpClient _client = factory.CreateApiClient();

    [Fact]
    public async Task An_execution_nobody_watches_publishes_no_progress_and_one_a_stream_watches_does()
    {
        var published = new ConcurrentDictionary<Guid, int>();
        var probe = factory.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint($"progress-probe-{Guid.NewGuid():N}",
            e => e.Handler<ExecutionProgressed>(context =>
            {
                published.AddOrUpdate(context.Message.ExecutionId, 1, (_, n) => n + 1);
                return Task.CompletedTask;
            }));
        await probe.Ready;
        try
        {
            var unwatched = await StartWaitingAsync();
            await DecideAsync(unwatched);
            await _client.WaitForStatusAsync(unwatched, "succeeded");

            var watched = await StartWaitingAsync();
            using var stream = await _client.GetAsync($"/api/executions/{watched}/events", HttpCompletionOption.ResponseHeadersRead);
            stream.StatusCode.Should().Be(HttpStatusCode.OK);
            await DecideAsync(watched);
            await _client.WaitForStatusAsync(watched, "succeeded");

            // The probe hears the watched execution's steps; by then it would have heard the other's too.
            await Until(() => published.ContainsKey(watched));
            published.Should().NotContainKey(unwatched, "nobody watched it, so its steps published no progress");
        }
        finally
        {
            await probe.StopAsync();
        }
    }

    [Fact]
    public async Task An_open_stream_renews_its_mark_before_the_lease_runs_out()
    {
        var id = await StartWaitingAsync();
        (await WatchedUntilAsync(id)).Should().BeNull("nobody has watched it yet");

        using var stream = await _client.GetAsync($"/api/executions/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        var first = await WatchedUntilAsync(id);
        first.Should().NotBeNull("the stream marked the execution before it answered");

        // The renewal runs at a third of the 3 s lease: the mark moves on while the stream is open.
        await Until(async () => await WatchedUntilAsync(id) > first);
    }

    private Task<Guid> StartWaitingAsync() => _client.StartWaitingForApprovalAsync("watch");

    private async Task DecideAsync(Guid id) =>
        (await _client.PostAsync($"/api/executions/{id}/nodes/hold/decision", JsonContent.Create(new { approved = true })))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);

    private async Task<DateTime?> WatchedUntilAsync(Guid id)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CoordinatorDbContext>();
        return await db.Executions.AsNoTracking().Where(x => x.CorrelationId == id).Select(x => x.ProgressWatchedUntil).SingleAsync();
    }

    private static Task Until(Func<bool> condition) => Until(() => Task.FromResult(condition()));

    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("The condition never held within 30 s.");
            await Task.Delay(50);
        }
    }
}
