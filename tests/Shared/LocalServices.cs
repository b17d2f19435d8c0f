using System.Globalization;

namespace Workflow.Messaging.Testing;

/// <summary>
/// Connection settings of the real RabbitMQ and PostgreSQL, from the variables
/// deploy/local/services.sh prints (WF_*), loopback defaults otherwise. One file, linked into
/// every test project and bench that talks to the services, so they cannot drift apart.
/// </summary>
internal static class LocalServices
{
    public static string Postgres => Read("WF_POSTGRES", "Host=127.0.0.1;Port=5432;Username=workflow;Password=workflow;Database=workflow;SSL Mode=Disable");
    public static string RabbitMqHost => Read("WF_RABBITMQ_HOST", "127.0.0.1");
    public static ushort RabbitMqPort => ushort.Parse(Read("WF_RABBITMQ_PORT", "5672"), CultureInfo.InvariantCulture);
    public static string RabbitMqUser => Read("WF_RABBITMQ_USER", "guest");
    public static string RabbitMqPassword => Read("WF_RABBITMQ_PASS", "guest");
    public static Uri RabbitMqManagement => new(Read("WF_RABBITMQ_MANAGEMENT_URL", "http://127.0.0.1:15672"));

    private static string Read(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}
