using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Workflow.Messaging.Persistence.Tests.CounterSaga;
using Workflow.Messaging.Persistence.Tests.Infrastructure;

namespace Workflow.Messaging.Persistence.Tests;

/// <summary>The schema step of a host's start on a PostgreSQL that is not there yet, or refuses for good.</summary>
public class SchemaCreationOutageTests
{
    [Fact]
    public async Task When_postgres_refuses_connections_at_first_then_the_schema_step_waits_and_succeeds()
    {
        await using var gate = new PostgresGate(refuse: 3);
        await using var services = Services(gate.ConnectionString);

        await services.InitializeWorkflowSchemaAsync<CounterDbContext>(SchemaCreation.EnsureCreated, retryFor: TimeSpan.FromMinutes(1));

        gate.Refused.Should().Be(3, "the step was tried again after each refused connection");
        await using var scope = services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<CounterDbContext>().Database.CanConnectAsync()).Should().BeTrue();
    }

    [Fact]
    public async Task When_the_outage_outlasts_the_bound_then_the_schema_step_fails_with_the_database_error()
    {
        await using var gate = new PostgresGate(refuse: int.MaxValue);
        await using var services = Services(gate.ConnectionString);

        var step = () => services.InitializeWorkflowSchemaAsync<CounterDbContext>(SchemaCreation.EnsureCreated, retryFor: TimeSpan.FromSeconds(2));

        var failure = (await step.Should().ThrowAsync<Exception>()).Which;
        Chain(failure).Should().Contain(e => e is NpgsqlException, "the host's start fails with what the database said");
        gate.Refused.Should().BeGreaterThan(1);
    }

    [Fact]
    public async Task When_the_credentials_are_wrong_then_the_schema_step_fails_at_once_without_retrying()
    {
        await using var gate = new PostgresGate(refuse: 0);
        var wrongPassword = new NpgsqlConnectionStringBuilder(gate.ConnectionString) { Password = "not-the-password" }.ConnectionString;
        await using var services = Services(wrongPassword);

        var step = () => services.InitializeWorkflowSchemaAsync<CounterDbContext>(SchemaCreation.EnsureCreated, retryFor: TimeSpan.FromMinutes(1));

        (await step.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InvalidPassword);
        gate.Refused.Should().Be(0);
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? current = exception; current != null; current = current.InnerException)
            yield return current;
    }

    private static ServiceProvider Services(string connectionString) =>
        new ServiceCollection()
            .AddSingleton(new DatabaseSchema(null))
            .AddDbContext<CounterDbContext>(o => o.UseNpgsql(connectionString))
            .BuildServiceProvider();
}
