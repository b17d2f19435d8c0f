using System.Collections;
using System.Globalization;

namespace Workflow.Messaging.ServiceDefaults;

/// <summary>
/// A log scope of named ids. Structured sinks (OpenTelemetry, JSON console) read the pairs as
/// attributes; the plain console prints <see cref="ToString"/>, so it shows the ids instead of a
/// dictionary's type name. Null values are left out.
/// </summary>
public sealed class LogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _values = [];

    public LogScope Add(string name, object? value)
    {
        if (value is not null)
            _values.Add(new(name, value));
        return this;
    }

    public int Count => _values.Count;

    public KeyValuePair<string, object?> this[int index] => _values[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() =>
        string.Join(" ", _values.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Key}={v.Value}")));
}
