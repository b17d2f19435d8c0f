using Workflow.Messaging.Persistence.Tests.CounterSaga;

namespace Workflow.Messaging.Persistence.Tests.Infrastructure;

static class RowCache
{
    public static SagaRowCache<CounterState> Create(int hitsPerRound = 256) => new(new SagaRowCacheOptions<CounterState>
    {
        HitsPerRound = hitsPerRound,
        PauseAfterConflicts = TimeSpan.FromHours(1),
        MaxBytes = 1024 * 1024,
        Copy = s => new CounterState { CorrelationId = s.CorrelationId, CurrentState = s.CurrentState, Target = s.Target, Counter = s.Counter },
        SizeOf = _ => 100,
        TouchProperty = nameof(CounterState.Target),
    });
}
