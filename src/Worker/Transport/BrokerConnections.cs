using MassTransit;
using RabbitMQ.Client;

namespace Workflow.Messaging.Worker.Transport;

/// <summary>Connections of our own to the broker MassTransit is configured for, for questions and changes apart from its topology.</summary>
public static class BrokerConnections
{
    public static ConnectionFactory Factory(RabbitMqTransportOptions options)
    {
        var factory = new ConnectionFactory
        {
            HostName = options.Host,
            Port = options.Port,
            VirtualHost = string.IsNullOrEmpty(options.VHost) ? "/" : options.VHost,
            UserName = options.User,
            Password = options.Pass,
            // Recovery is MassTransit's business on its own connection; this one is simply made again.
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
        };
        if (options.UseSsl)
            factory.Ssl = new SslOption { Enabled = true, ServerName = options.Host };
        return factory;
    }
}
