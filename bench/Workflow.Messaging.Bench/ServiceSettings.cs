namespace Workflow.Messaging.Bench;

/// <summary>Connection settings of the real services, from the same variables the integration tests read.</summary>
internal static class ServiceSettings
{
    public static string Postgres => Env("WF_POSTGRES", "Host=127.0.0.1;Port=5432;Username=workflow;Password=workflow;Database=workflow;SSL Mode=Disable");
    public static string RabbitHost => Env("WF_RABBITMQ_HOST", "127.0.0.1");
    public static ushort RabbitPort => ushort.Parse(Env("WF_RABBITMQ_PORT", "5672"), System.Globalization.CultureInfo.InvariantCulture);
    public static string RabbitUser => Env("WF_RABBITMQ_USER", "guest");
    public static string RabbitPass => Env("WF_RABBITMQ_PASS", "guest");
    public static string RabbitManagement => Env("WF_RABBITMQ_MANAGEMENT", "http://127.0.0.1:15672");

    private static string Env(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}
