namespace Workflow.Messaging.Api.Tests.Telemetry;

public sealed record OtlpSpan(string TraceId, string SpanId, string ParentSpanId, string Name, IReadOnlyDictionary<string, string> Attributes);

/// <summary>Spans out of OTLP trace export bodies, with attribute values as text.</summary>
public static class OtlpData
{
    // TracesData.resource_spans(1) → ResourceSpans.scope_spans(2) → ScopeSpans.spans(2)
    public static IEnumerable<OtlpSpan> Spans(IEnumerable<byte[]> bodies) =>
        bodies.SelectMany(b => Protobuf.Path(b, 1, 2, 2)).Select(span =>
        {
            var fields = span.Fields.ToList();
            return new OtlpSpan(
                Hex(fields, 1), Hex(fields, 2), Hex(fields, 4),
                fields.FirstOrDefault(f => f.Number == 5).Text,
                Attributes(fields, 9));
        });

    private static string Hex(List<ProtoField> fields, int number) =>
        fields.Where(f => f.Number == number).Select(f => f.Hex).FirstOrDefault() ?? "";

    // KeyValue: key(1), value(2) AnyValue: string(1), bool(2), int(3), double(4)
    private static Dictionary<string, string> Attributes(List<ProtoField> fields, int number)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in fields.Where(f => f.Number == number))
        {
            var parts = pair.Fields.ToList();
            var key = parts.FirstOrDefault(p => p.Number == 1).Text;
            var value = parts.Where(p => p.Number == 2).Select(Value).FirstOrDefault();
            if (key is not null && value is not null)
                attributes[key] = value;
        }
        return attributes;
    }

    private static string? Value(ProtoField anyValue)
    {
        var inner = anyValue.Fields.FirstOrDefault();
        return inner.Number switch
        {
            1 => inner.Text,
            2 => (inner.Value != 0).ToString(),
            3 => ((long)inner.Value).ToString(System.Globalization.CultureInfo.InvariantCulture),
            4 => BitConverter.UInt64BitsToDouble(inner.Value).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };
    }
}
