using Npgsql;
using Workflow.Messaging.Coordinator.Persistence;

namespace Workflow.Messaging.Coordinator.Tests.Persistence;

public sealed class ConnectionStringTests
{
    [Fact]
    public void Pooled_connections_skip_the_reset_unless_the_connection_string_asks_for_it()
    {
        var defaulted = new NpgsqlConnectionStringBuilder(
            PersistenceHostingExtensions.PooledWithoutReset("Host=db;Database=workflow;Username=u;Password=p"));
        defaulted.NoResetOnClose.Should().BeTrue();
        defaulted.Host.Should().Be("db");
        defaulted.Password.Should().Be("p");

        var explicitReset = new NpgsqlConnectionStringBuilder(
            PersistenceHostingExtensions.PooledWithoutReset("Host=db;Database=workflow;No Reset On Close=false"));
        explicitReset.NoResetOnClose.Should().BeFalse();
    }
}
