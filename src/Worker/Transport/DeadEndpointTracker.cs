namespace Workflow.Messaging.Worker.Transport;

/// <summary>
/// Decides from successive checks which endpoints have been dead for long enough: an endpoint counts
/// from the first check that saw it dead, and any check that sees it alive forgets it. A check the
/// broker did not answer says nothing (a broker outage is MassTransit's to ride out, not a dead endpoint).
/// </summary>
public sealed class DeadEndpointTracker(TimeSpan deadAfter)
{
    private readonly Dictionary<string, DateTimeOffset> _deadSince = new(StringComparer.Ordinal);

    /// <summary>The endpoints dead for at least <c>deadAfter</c> as of <paramref name="now"/>.</summary>
    public IReadOnlyList<EndpointObservation> Observe(IEnumerable<EndpointObservation> observations, DateTimeOffset now)
    {
        var dead = new List<EndpointObservation>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var observation in observations)
        {
            seen.Add(observation.Endpoint);
            if (!observation.LooksDead)
            {
                _deadSince.Remove(observation.Endpoint);
                continue;
            }
            var since = _deadSince.TryGetValue(observation.Endpoint, out var first) ? first : _deadSince[observation.Endpoint] = now;
            if (now - since >= deadAfter)
                dead.Add(observation);
        }
        foreach (var gone in _deadSince.Keys.Where(k => !seen.Contains(k)).ToList())
            _deadSince.Remove(gone);
        return dead;
    }

    /// <summary>After a remedy: every endpoint gets a fresh <c>deadAfter</c> to come back.</summary>
    public void Reset() => _deadSince.Clear();
}
