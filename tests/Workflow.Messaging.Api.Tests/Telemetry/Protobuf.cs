using System.Text;

namespace Workflow.Messaging.Api.Tests.Telemetry;

/// <summary>
/// Just enough of the protobuf wire format to walk OTLP messages by field number (the generated
/// OTLP classes are not available here): varints, fixed 32/64-bit values and length-delimited
/// fields, which hold strings, bytes and nested messages.
/// </summary>
public readonly record struct ProtoField(int Number, int WireType, ulong Value, ReadOnlyMemory<byte> Bytes)
{
    public string Text => Encoding.UTF8.GetString(Bytes.Span);

    public IEnumerable<ProtoField> Fields => Protobuf.Read(Bytes);

    public string Hex => Convert.ToHexString(Bytes.Span).ToLowerInvariant();
}

public static class Protobuf
{
    public static IEnumerable<ProtoField> Read(ReadOnlyMemory<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var key = Varint(message.Span, ref position);
            var number = (int)(key >> 3);
            var wireType = (int)(key & 7);
            switch (wireType)
            {
                case 0:
                    yield return new ProtoField(number, wireType, Varint(message.Span, ref position), default);
                    break;
                case 1:
                    yield return new ProtoField(number, wireType, BitConverter.ToUInt64(message.Span.Slice(position, 8)), message.Slice(position, 8));
                    position += 8;
                    break;
                case 2:
                    var length = (int)Varint(message.Span, ref position);
                    yield return new ProtoField(number, wireType, 0, message.Slice(position, length));
                    position += length;
                    break;
                case 5:
                    yield return new ProtoField(number, wireType, BitConverter.ToUInt32(message.Span.Slice(position, 4)), message.Slice(position, 4));
                    position += 4;
                    break;
                default:
                    throw new FormatException($"Unsupported wire type {wireType} at byte {position}.");
            }
        }
    }

    /// <summary>The nested messages under a path of field numbers, e.g. TracesData 1 → ResourceSpans 2 → ScopeSpans 2 → Span.</summary>
    public static IEnumerable<ProtoField> Path(ReadOnlyMemory<byte> message, params int[] numbers)
    {
        IEnumerable<ProtoField> level = Read(message).Where(f => f.Number == numbers[0]);
        foreach (var number in numbers.Skip(1))
            level = level.SelectMany(f => f.Fields.Where(child => child.Number == number));
        return level;
    }

    private static ulong Varint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = span[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return value;
        }
    }
}
