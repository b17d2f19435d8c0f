namespace Workflow.Messaging.ServiceDefaults;

/// <summary>Where Serilog sends log events besides the console, bound from the <c>Seq</c> section.</summary>
public sealed class SeqOptions
{
    public const string Section = "Seq";

    /// <summary>Seq's base address, e.g. <c>http://seq:5341</c>; no events go to Seq when empty.</summary>
    public Uri? ServerUrl { get; set; }

    /// <summary>Sent as <c>X-Seq-ApiKey</c> with log batches, and with OTLP exports when they go to Seq as well.</summary>
    public string? ApiKey { get; set; }
}
