using System.Text;
using Holes.Execution.Protocol;
using StreamJsonRpc;

namespace Holes.Worker;

/// <summary>Console output of fills (where the policy grants the console) goes to the host's console, line by line.</summary>
internal sealed class ConsoleForwarder(JsonRpc rpc) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_line)
        {
            _line.Append(value);
            if (value == '\n')
            {
                FlushLine();
            }
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        lock (_line)
        {
            _line.Append(value);
            if (value.Contains('\n', StringComparison.Ordinal))
            {
                FlushLine();
            }
        }
    }

    public override void Flush()
    {
        lock (_line)
        {
            FlushLine();
        }
    }

    private void FlushLine()
    {
        if (_line.Length > 0)
        {
            _ = rpc.NotifyAsync(WireMethods.Console, _line.ToString());
            _line.Clear();
        }
    }
}
