namespace Workflow.Messaging.ServiceDefaults;

/// <summary>
/// Values for a metric tag whose values come from users (a workflow id is whatever a definition
/// says): the first <c>capacity</c> distinct values are reported as they are and every later one
/// as <see cref="Other"/>, so anyone who can start workflows cannot grow the series without bound.
/// Traces and logs keep the real value.
/// </summary>
public sealed class BoundedTagValues(int capacity)
{
    public const string Other = "(other)";
    public const string None = "(none)";

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Capacity => capacity;

    public string Of(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return None;
        lock (_lock)
        {
            if (_seen.Contains(value))
                return value;
            if (_seen.Count >= capacity)
                return Other;
            _seen.Add(value);
            return value;
        }
    }
}
