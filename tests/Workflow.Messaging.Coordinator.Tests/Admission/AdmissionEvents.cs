using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Tests.Admission;

/// <summary>
/// Records the lifecycle events as a subscriber receives them. Under a database outbox the saga's
/// events leave through the outbox, which the harness's publish observer does not see; a consumer
/// sees them whichever way they were sent.
/// </summary>
public sealed class AdmissionEventRecorder :
    IConsumer<ExecutionStarted>, IConsumer<ExecutionSucceeded>, IConsumer<ExecutionQueued>
{
    private readonly Recorded _recorded;

    public AdmissionEventRecorder(Recorded recorded) => _recorded = recorded;

    public Task Consume(ConsumeContext<ExecutionStarted> context) => Add(context.Message);
    public Task Consume(ConsumeContext<ExecutionSucceeded> context) => Add(context.Message);
    public Task Consume(ConsumeContext<ExecutionQueued> context) => Add(context.Message);

    private Task Add(object message)
    {
        _recorded.Events.Enqueue(message);
        return Task.CompletedTask;
    }

    public sealed class Recorded
    {
        public ConcurrentQueue<object> Events { get; } = new();

        public IReadOnlyList<T> Of<T>() => Events.OfType<T>().ToList();
    }
}

internal static class AdmissionEvents
{
    /// <summary>A harness whose lifecycle events are recorded (see <see cref="Recorded"/>).</summary>
    public static Task<ExecutionHarness> StartRecordingAsync(Action<IServiceCollection>? configure, Persistence.CoordinatorDatabase database) =>
        ExecutionHarness.StartAsync(s =>
        {
            s.AddSingleton<AdmissionEventRecorder.Recorded>();
            configure?.Invoke(s);
        }, database.Options, x => x.AddConsumer<AdmissionEventRecorder>());

    public static AdmissionEventRecorder.Recorded Recorded(this ExecutionHarness h) =>
        h.Services.GetRequiredService<AdmissionEventRecorder.Recorded>();

    /// <summary>Waits until the recorder holds an event matching <paramref name="match"/>.</summary>
    public static async Task<T> EventAsync<T>(this ExecutionHarness h, Func<T, bool> match) where T : class
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        (await h.Harness.Consumed.Any<T>(x => match(x.Context.Message), patience.Token)).Should().BeTrue($"a {typeof(T).Name} should arrive");
        return h.Recorded().Of<T>().First(match);
    }

    /// <summary>
    /// Most executions running at once, from ExecutionStarted and the terminal events' own times
    /// (one coordinator clock). An execution's start is stamped after its slot was claimed and its
    /// end before the slot went back, so this counts at most the slots held.
    /// </summary>
    public static int MostRunningAtOnce(IEnumerable<ExecutionStarted> started, IEnumerable<(Guid Id, DateTime FinishedAt)> finished)
    {
        var edges = started.Select(s => (At: s.StartedAt, Step: +1))
            .Concat(finished.Select(f => (At: f.FinishedAt, Step: -1)))
            // At one instant an end counts before a start.
            .OrderBy(e => e.At).ThenBy(e => e.Step);
        int running = 0, most = 0;
        foreach (var (_, step) in edges)
            most = Math.Max(most, running += step);
        return most;
    }
}
