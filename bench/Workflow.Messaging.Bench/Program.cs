using Workflow.Messaging.Bench;
using Workflow.Messaging.Bench.Chaos;

BenchSettings settings;
try
{
    settings = BenchSettings.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchSettings.Usage);
    return 2;
}

using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupt.Cancel();
};
return settings.Chaos
    ? await ChaosCommand.RunAsync(settings, Console.Out, interrupt.Token)
    : await BenchCommand.RunAsync(settings, Console.Out, interrupt.Token);
