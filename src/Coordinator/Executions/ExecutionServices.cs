using Microsoft.Extensions.Options;
using Workflow.Messaging.Coordinator.Attempts;
using Workflow.Messaging.Coordinator.Definitions;
using Workflow.Messaging.Coordinator.Outputs;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Coordinator.Executions;

/// <summary>What a saga step needs from the container, resolved once per message.</summary>
public sealed class ExecutionServices(
    IExecutionOutputStore outputs,
    IAttemptStore attempts,
    ProgressWatch.IProgressWatchMarks progressWatches,
    IWorkflowDefinitionStore definitions,
    IDefinitionValidator validator,
    NodeExecutorRegistry registry,
    ExecutionGraphCache graphs,
    FanOutItemsCache fanOutItems,
    IOptions<CoordinatorOptions> options,
    IOptions<Admission.AdmissionOptions> admission,
    TimeProvider time,
    IServiceProvider services)
{
    public IExecutionOutputStore Outputs => outputs;
    public IAttemptStore Attempts => attempts;
    public ProgressWatch.IProgressWatchMarks ProgressWatches => progressWatches;
    public IWorkflowDefinitionStore Definitions => definitions;
    public IDefinitionValidator Validator => validator;
    public NodeExecutorRegistry Registry => registry;
    public INodeTypeCatalog Catalog => registry;
    public ExecutionGraphCache Graphs => graphs;
    public FanOutItemsCache FanOutItems => fanOutItems;
    public CoordinatorOptions Options => options.Value;
    public Admission.AdmissionOptions Admission => admission.Value;
    public TimeProvider Time => time;
    public IServiceProvider Services => services;
}
