namespace Workflow.Messaging.Scheduling.Tests.Infrastructure;

/// <summary>Connection settings from the environment (deploy/local/services.sh prints them), loopback by default.</summary>
static class ServiceSettings
{
    public static string Postgres => Read("WF_POSTGRES", "Host=127.0.0.1;Port=5432;Username=workflow;Password=workflow;Database=workflow;SSL Mode=Disable");
    public static string RabbitMqHost => Read("WF_RABBITMQ_HOST", "127.0.0.1");
    public static ushort RabbitMqPort => ushort.Parse(Read("WF_RABBITMQ_PORT", "5672"), System.Globalization.CultureInfo.InvariantCulture);
    public static string RabbitMqUser => Read("WF_RABBITMQ_USER", "guest");
    public static string RabbitMqPassword => Read("WF_RABBITMQ_PASS", "guest");

    static string Read(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}
