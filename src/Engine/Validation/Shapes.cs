namespace Workflow.Messaging.Engine.Validation;

/// <summary>The expected JSON shape of a value; read by <see cref="ShapeWalker"/>.</summary>
internal abstract record Shape(string Expected);

internal sealed record StringShape() : Shape("a string");

internal sealed record IntegerShape() : Shape("a whole number");

internal sealed record NumberShape() : Shape("a number");

/// <summary>"30s"-style text or a number of milliseconds.</summary>
internal sealed record DurationShape() : Shape("a duration such as \"30s\"");

internal sealed record EnumShape(IReadOnlyList<string> Values) : Shape("one of " + string.Join(", ", Values.Select(v => $"\"{v}\"")));

internal sealed record ArrayShape(Shape Items) : Shape("an array");

/// <summary>An object with free names and any values (node parameters).</summary>
internal sealed record MapShape() : Shape("an object");

internal sealed record ObjectShape(IReadOnlyList<Member> Members) : Shape("an object");

internal sealed record Member(string Name, Shape Shape, bool Required = false, bool Nullable = false);
