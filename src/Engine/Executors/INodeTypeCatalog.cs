using System.Diagnostics.CodeAnalysis;

namespace Workflow.Messaging.Engine.Executors;

/// <summary>The node types a host knows: used by validation and by the coordinator's dispatch.</summary>
public interface INodeTypeCatalog
{
    bool TryGet(string type, [NotNullWhen(true)] out NodeTypeDescriptor? descriptor);

    IReadOnlyCollection<NodeTypeDescriptor> All { get; }
}
