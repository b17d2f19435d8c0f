namespace Workflow.Messaging.Coordinator.Admission;

/// <summary>
/// The limits as the sweeper last read them: what the API's 429 and the metrics look at, so
/// neither costs a query per request.
/// </summary>
public sealed class AdmissionBacklog
{
    private volatile AdmissionSnapshot _latest = AdmissionSnapshot.Empty;

    public AdmissionSnapshot Latest => _latest;

    public void Update(AdmissionSnapshot snapshot)
    {
        _latest = snapshot;
        AdmissionTelemetry.Observe(snapshot);
    }
}
