using System.Text;
using Xunit.Abstractions;

namespace Workflow.Messaging.Chaos.Tests;

/// <summary>The run's progress lines into the test output, so a failing run shows what happened when.</summary>
internal sealed class TestOutputWriter(ITestOutputHelper output) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_line)
        {
            if (value == '\n')
            {
                output.WriteLine(_line.ToString().TrimEnd('\r'));
                _line.Clear();
            }
            else
                _line.Append(value);
        }
    }
}
