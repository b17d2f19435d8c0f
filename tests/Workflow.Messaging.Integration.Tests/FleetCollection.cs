using Workflow.Messaging.Integration.Tests.Infrastructure;

namespace Workflow.Messaging.Integration.Tests;

/// <summary>One fleet for the whole suite: starting processes is the slow part, and the tests run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class FleetCollection : ICollectionFixture<Fleet>
{
    public const string Name = "fleet";
}
