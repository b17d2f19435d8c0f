using MassTransit;

namespace Workflow.Messaging.Persistence;

/// <summary>
/// Marks the consumes of messages an endpoint's consumers handle idempotently by themselves, such
/// as a saga that ignores a result for an attempt it no longer waits on. The inbox row exists to make a
/// second copy of a message a no-op; for these consumers the second copy is a no-op anyway, so the
/// outbox runs without it: no insert, no update and no index entry per consume, one round trip
/// fewer. What the inbox also gave, finding the rows of a consume that committed but was not
/// acknowledged, comes from the rows themselves: a consume that may have run before (a broker
/// redelivery or an in-process retry) first looks for rows stored under its MessageId and sends
/// those instead of consuming again, and rows nobody comes back for are sent by the stranded-row
/// sweeper.
/// </summary>
public sealed class InboxlessEndpoint(Func<Type, bool> appliesTo) : IFilter<ConsumeContext>
{
    public Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        context.GetOrAddPayload(() => this);
        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("inboxlessEndpoint");

    /// <summary>True for a consume of one of those message types on such an endpoint.</summary>
    public static bool Applies<T>(ConsumeContext<T> context) where T : class =>
        context.TryGetPayload<InboxlessEndpoint>(out var endpoint) && endpoint.AppliesTo(typeof(T));

    bool AppliesTo(Type messageType) => appliesTo(messageType);

    /// <summary>A consume of this message may have committed before: the broker redelivered it, or it is a retry.</summary>
    public static bool MayHaveRunBefore(ConsumeContext context) =>
        context.ReceiveContext.Redelivered || context.GetRetryAttempt() > 0 || context.GetRedeliveryCount() > 0;
}
