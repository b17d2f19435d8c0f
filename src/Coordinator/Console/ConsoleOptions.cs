namespace Workflow.Messaging.Coordinator.Console;

/// <summary>Operator console settings, bound from the <c>Console</c> section.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>Serve the console under <c>/ui</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Seq's address (e.g. <c>http://seq:5341</c>); each execution then links to its log search.</summary>
    public string? SeqUrl { get; set; }

    /// <summary>The RabbitMQ management UI (e.g. <c>http://127.0.0.1:15672</c>); each pool then links to its queue.</summary>
    public string? RabbitMqManagementUrl { get; set; }

    /// <summary>Virtual host of the pool queues, for the management UI's queue addresses.</summary>
    public string RabbitMqVirtualHost { get; set; } = "/";
}
