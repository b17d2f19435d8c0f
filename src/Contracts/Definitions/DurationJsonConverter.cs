using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workflow.Messaging.Contracts;

/// <summary>
/// Reads durations as "250ms", "30s", "5m", "2h", "1d" or "hh:mm:ss"; writes the short form.
/// Definitions are written by people, and "30s" is what they write.
/// </summary>
public sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    /// <inheritdoc />
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
            return TimeSpan.FromMilliseconds(reader.GetDouble());
        var text = reader.GetString();
        return Duration.TryParse(text, out var value)
            ? value
            : throw new JsonException($"'{text}' is not a duration: use 250ms, 30s, 5m, 2h, 1d or hh:mm:ss.");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Duration.Format(value));
}

/// <summary>The nullable twin of <see cref="DurationJsonConverter"/>.</summary>
public sealed class NullableDurationJsonConverter : JsonConverter<TimeSpan?>
{
    private static readonly DurationJsonConverter Inner = new();

    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override TimeSpan? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : Inner.Read(ref reader, typeof(TimeSpan), options);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TimeSpan? value, JsonSerializerOptions options)
    {
        if (value is null)
            writer.WriteNullValue();
        else
            Inner.Write(writer, value.Value, options);
    }
}

/// <summary>Parsing and formatting of the duration strings used in definitions.</summary>
public static class Duration
{
    /// <summary>Parses "250ms", "30s", "5m", "2h", "1d" or a TimeSpan "hh:mm:ss".</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        text = text.Trim();
        (string suffix, double millis)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)];
        foreach (var (suffix, millis) in units)
        {
            if (!text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                continue;
            var number = text[..^suffix.Length];
            // "5ms" also ends with "s": only accept when the rest is a plain number.
            if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)
                && amount >= 0 && amount * millis < TimeSpan.MaxValue.TotalMilliseconds)
            {
                value = TimeSpan.FromMilliseconds(amount * millis);
                return true;
            }
        }
        // Only the clock form: a bare "10" would otherwise parse as ten days.
        return text.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }

    /// <summary>Formats in the largest whole unit: 1500ms, 30s, 5m, 2h.</summary>
    public static string Format(TimeSpan value)
    {
        var ms = (long)value.TotalMilliseconds;
        if (ms % 3_600_000 == 0 && ms > 0) return $"{ms / 3_600_000}h";
        if (ms % 60_000 == 0 && ms > 0) return $"{ms / 60_000}m";
        if (ms % 1000 == 0) return $"{ms / 1000}s";
        return $"{ms}ms";
    }
}
