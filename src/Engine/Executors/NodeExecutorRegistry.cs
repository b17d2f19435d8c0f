using System.Diagnostics.CodeAnalysis;

namespace Workflow.Messaging.Engine.Executors;

/// <summary>
/// The node types of this host: every registered <see cref="INodeExecutor"/> plus
/// descriptor-only types the coordinator holds itself (wait, approval). Built once at start-up;
/// a bad registration fails the host there, not at the first execution.
/// </summary>
public sealed class NodeExecutorRegistry : INodeTypeCatalog
{
    private readonly Dictionary<string, NodeTypeDescriptor> _descriptors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, INodeExecutor> _executors = new(StringComparer.Ordinal);

    public NodeExecutorRegistry(IEnumerable<INodeExecutor> executors, IEnumerable<NodeTypeDescriptor> heldTypes)
    {
        foreach (var executor in executors)
        {
            Add(executor.Descriptor, executor.GetType().Name);
            _executors[executor.Descriptor.Type] = executor;
        }
        foreach (var descriptor in heldTypes)
        {
            if (descriptor.Placement is NodePlacement.Worker or NodePlacement.Inline)
                throw new InvalidOperationException(
                    $"Node type '{descriptor.Type}' is registered without an executor but its placement is {descriptor.Placement}; register an INodeExecutor for it.");
            Add(descriptor, "descriptor");
        }
    }

    public IReadOnlyCollection<NodeTypeDescriptor> All => _descriptors.Values;

    public bool TryGet(string type, [NotNullWhen(true)] out NodeTypeDescriptor? descriptor) =>
        _descriptors.TryGetValue(type, out descriptor);

    public bool TryGetExecutor(string type, [NotNullWhen(true)] out INodeExecutor? executor) =>
        _executors.TryGetValue(type, out executor);

    private void Add(NodeTypeDescriptor descriptor, string source)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(descriptor.Type) || descriptor.Type.Any(char.IsWhiteSpace))
            problems.Add("its type name is empty or contains white space");
        if (descriptor.Ports is null && descriptor.PortsFromParameters is null)
            problems.Add("it declares neither fixed ports nor PortsFromParameters");
        if (descriptor.Ports is { Count: 0 })
            problems.Add("it declares no output port");
        if (descriptor.RequiredParameters.Distinct(StringComparer.Ordinal).Count() != descriptor.RequiredParameters.Count)
            problems.Add("its required parameters repeat a name");
        if (problems.Count > 0)
            throw new InvalidOperationException($"Node type '{descriptor.Type}' ({source}) is invalid: {string.Join("; ", problems)}.");
        if (!_descriptors.TryAdd(descriptor.Type, descriptor))
            throw new InvalidOperationException($"Node type '{descriptor.Type}' is registered twice ({source}).");
    }
}
