using System.Text;
using Microsoft.Extensions.Logging;

namespace Holes.Capabilities;

/// <summary>
/// The <see cref="IOutput"/> capability: routes a fill's progress lines to an <see cref="ILogger"/>, the console or a
/// <see cref="TextWriter"/>. Lines are cleaned of control characters (no terminal escape sequences reach the
/// console), cut at a length, and capped in number; a fill can never construct one.
/// </summary>
public sealed class Output : IOutput
{
    /// <summary>The event id of the lines written to a logger.</summary>
    public static EventId LineEvent { get; } = new(5001, "HoleOutput");

    private readonly Action<string> _write;
    private readonly string _target;
    private readonly int _maxLines;
    private readonly int _maxLineLength;
    private readonly Lock _lock = new();
    private int _lines;

    private Output(Action<string> write, string target, int maxLines, int maxLineLength)
    {
        if (maxLines <= 0 || maxLineLength <= 0)
        {
            throw new ArgumentOutOfRangeException(maxLines <= 0 ? nameof(maxLines) : nameof(maxLineLength), "The line cap and the line length must be positive.");
        }

        _write = write;
        _target = target;
        _maxLines = maxLines;
        _maxLineLength = maxLineLength;
    }

    /// <summary>Lines go to <paramref name="logger"/>, one log entry each, at <paramref name="level"/>, with event id <see cref="LineEvent"/>.</summary>
    /// <param name="logger">The logger.</param>
    /// <param name="level">The level of every line. Default <see cref="LogLevel.Information"/>.</param>
    /// <param name="maxLines">The most lines written; later lines are dropped after one notice. Default 1,000.</param>
    /// <param name="maxLineLength">The longest line, in characters; longer lines are cut. Default 2,000.</param>
    /// <returns>The output capability.</returns>
    public static Output ToLogger(ILogger logger, LogLevel level = LogLevel.Information, int maxLines = 1000, int maxLineLength = 2000)
    {
        ArgumentNullException.ThrowIfNull(logger);
        return new Output(line => logger.Log(level, LineEvent, line, null, static (state, _) => state), "logger", maxLines, maxLineLength);
    }

    /// <summary>Lines go to standard output (<see cref="Console.Out"/> at the time of each line).</summary>
    /// <param name="maxLines">The most lines written; later lines are dropped after one notice. Default 1,000.</param>
    /// <param name="maxLineLength">The longest line, in characters; longer lines are cut. Default 2,000.</param>
    /// <returns>The output capability.</returns>
    public static Output ToConsole(int maxLines = 1000, int maxLineLength = 2000) =>
        new(line => Console.Out.WriteLine(line), "console", maxLines, maxLineLength);

    /// <summary>Lines go to <paramref name="writer"/>.</summary>
    /// <param name="writer">The writer; this capability serialises its own writes, and does not dispose it.</param>
    /// <param name="maxLines">The most lines written; later lines are dropped after one notice. Default 1,000.</param>
    /// <param name="maxLineLength">The longest line, in characters; longer lines are cut. Default 2,000.</param>
    /// <returns>The output capability.</returns>
    public static Output ToWriter(TextWriter writer, int maxLines = 1000, int maxLineLength = 2000)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return new Output(writer.WriteLine, "writer", maxLines, maxLineLength);
    }

    /// <inheritdoc />
    public void WriteLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var line in message.ReplaceLineEndings("\n").Split('\n'))
        {
            Emit(Clean(line));
        }
    }

    /// <inheritdoc />
    public void WriteLine(Classified<string> message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Emit(message.ToString());
    }

    /// <summary>Where the lines go, shown as the value's preview in a hole's prompt.</summary>
    /// <returns>For example <c>Output(to the logger)</c>.</returns>
    public override string ToString() => $"Output(to the {_target}; at most {_maxLines} lines)";

    private void Emit(string line)
    {
        lock (_lock)
        {
            if (_lines > _maxLines)
            {
                return;
            }

            _write(++_lines > _maxLines ? $"(output capped at {_maxLines} lines; later lines are dropped)" : line);
        }
    }

    /// <summary>Escapes control characters (terminal escape sequences included) and cuts the line at the length cap.</summary>
    private string Clean(string line)
    {
        StringBuilder? clean = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (char.IsControl(c) && c != '\t')
            {
                clean ??= new StringBuilder(line, 0, i, line.Length + 8);
                clean.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                clean?.Append(c);
            }
        }

        var text = clean?.ToString() ?? line;
        return text.Length <= _maxLineLength ? text : string.Concat(text.AsSpan(0, _maxLineLength), "…");
    }
}
