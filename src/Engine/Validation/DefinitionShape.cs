namespace Workflow.Messaging.Engine.Validation;

/// <summary>
/// The definition format as the reader expects it before deserializing. Keep it in step with
/// the contracts in Workflow.Messaging.Contracts and with workflow-definition.schema.json.
/// </summary>
internal static class DefinitionShape
{
    /// <summary>Editors put the schema's address here; it is not part of the definition.</summary>
    public const string SchemaProperty = "$schema";

    private static readonly Shape Text = new StringShape();
    private static readonly Shape Integer = new IntegerShape();
    private static readonly Shape Number = new NumberShape();
    private static readonly Shape Duration = new DurationShape();

    private static readonly ObjectShape Retry = new([
        new("maxAttempts", Integer),
        new("initialDelay", Duration),
        new("backoffMultiplier", Number),
        new("maxDelay", Duration),
        new("jitter", Number),
    ]);

    private static readonly ObjectShape Join = new([
        new("mode", new EnumShape(["all", "any", "nOfM"])),
        new("count", Integer, Nullable: true),
    ]);

    private static readonly ObjectShape FanOut = new([
        new("items", Text, Required: true),
    ]);

    private static readonly ObjectShape Node = new([
        new("id", Text, Required: true),
        new("type", Text, Required: true),
        new("name", Text, Nullable: true),
        new("parameters", new MapShape()),
        new("retry", Retry, Nullable: true),
        new("timeout", Duration, Nullable: true),
        new("onError", new EnumShape(["stopWorkflow", "continueRegularOutput", "continueErrorOutput"])),
        new("join", Join, Nullable: true),
        new("fanOut", FanOut, Nullable: true),
        new("pool", Text, Nullable: true),
        new("resource", Text, Nullable: true),
    ]);

    private static readonly ObjectShape Connection = new([
        new("from", Text, Required: true),
        new("output", Text),
        new("to", Text, Required: true),
    ]);

    private static readonly ObjectShape Settings = new([
        new("executionTimeout", Duration, Nullable: true),
        new("maxParallelNodes", Integer),
        new("maxConcurrentExecutions", Integer, Nullable: true),
    ]);

    public static ObjectShape Workflow { get; } = new([
        new(SchemaProperty, Text),
        new("id", Text, Required: true),
        new("version", Integer),
        new("name", Text, Nullable: true),
        new("nodes", new ArrayShape(Node), Required: true),
        new("connections", new ArrayShape(Connection)),
        new("settings", Settings),
    ]);
}
