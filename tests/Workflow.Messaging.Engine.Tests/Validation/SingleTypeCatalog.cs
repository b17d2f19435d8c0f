using System.Diagnostics.CodeAnalysis;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Tests.Validation;

internal sealed class SingleTypeCatalog(NodeTypeDescriptor descriptor) : INodeTypeCatalog
{
    public IReadOnlyCollection<NodeTypeDescriptor> All => [descriptor];

    public bool TryGet(string type, [NotNullWhen(true)] out NodeTypeDescriptor? found)
    {
        found = type == descriptor.Type ? descriptor : null;
        return found is not null;
    }
}
