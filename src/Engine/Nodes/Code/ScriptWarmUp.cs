using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Workflow.Messaging.Engine.Nodes.Code;

/// <summary>
/// Runs one small script when the host starts. Jint's first run in a process spends seconds in the
/// JIT on a busy machine; without this, the first code node of every worker would spend them out of
/// its own time limit and could fail with <c>code.timeout</c>.
/// </summary>
internal sealed class ScriptWarmUp(ScriptThreads threads, IOptions<CodeNodeOptions> options) : BackgroundService
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        deadline.CancelAfter(Patience);
        try
        {
            await threads.RunAsync("code-node warm-up",
                () => ScriptSandbox.Run("return [1].map(function (x) { return /a/.test('a') ? { x: x } : null; });", "{}", "{}", options.Value, Patience, deadline.Token),
                deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // Stopping, or a machine too busy to finish in a minute: the first real script pays instead.
        }
    }
}
