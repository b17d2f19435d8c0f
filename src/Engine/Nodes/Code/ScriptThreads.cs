using Microsoft.Extensions.Options;

namespace Workflow.Messaging.Engine.Nodes.Code;

/// <summary>
/// The bounded set of threads code-node scripts run on: at most
/// <see cref="CodeNodeOptions.MaxConcurrentScripts"/> at once, each on a thread of its own.
/// </summary>
/// <remarks>
/// A dedicated thread rather than the thread pool because a script blocks its thread for its whole
/// run, and because its stack size is ours to choose: small enough that Jint's stack guard answers a
/// recursion the call count cannot see (a getter calling itself) within milliseconds, large enough
/// for every script the recursion limit allows. A slot is given back when the thread ends, not when
/// the caller stops waiting, so an attempt that gave up cannot leave a runaway thread uncounted.
/// </remarks>
public sealed class ScriptThreads(IOptions<CodeNodeOptions> options)
{
    private const int StackSize = 4 * 1024 * 1024;

    private readonly int _capacity = Math.Max(1, options.Value.MaxConcurrentScripts);
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Value.MaxConcurrentScripts));

    /// <summary>Scripts whose thread is still alive.</summary>
    public int Running => _capacity - _slots.CurrentCount;

    /// <summary>
    /// True once no script thread is alive, false if one still is after <paramref name="within"/>:
    /// an attempt that gave up returns at once, its thread ends at the script's next checkpoint.
    /// </summary>
    public async Task<bool> WaitUntilIdleAsync(TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        var taken = 0;
        try
        {
            for (; taken < _capacity; taken++)
                await _slots.WaitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            if (taken > 0)
                _slots.Release(taken);
        }
    }

    /// <summary>Runs <paramref name="script"/> on a script thread once one is free.</summary>
    public async Task<T> RunAsync<T>(string name, Func<T> script, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            // The slot is released before the caller hears the outcome, so a caller that sees the
            // script end also sees its slot free again.
            T? result = default;
            Exception? failure = null;
            try
            {
                result = script();
            }
            catch (Exception e)
            {
                failure = e;
            }
            _slots.Release();
            if (failure is null)
                completion.SetResult(result!);
            else
                completion.SetException(failure);
        }, StackSize) { IsBackground = true, Name = name };
        try
        {
            thread.Start();
        }
        catch
        {
            _slots.Release();
            throw;
        }
        // The caller stops waiting at its deadline even if one long built-in call has not yet
        // noticed it; the thread keeps its slot until it has.
        return await completion.Task.WaitAsync(cancellationToken);
    }
}
