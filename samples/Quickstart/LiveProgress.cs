using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Holes;

/// <summary>
/// Renders <see cref="HoleOptions.Progress"/> live on the last line of the terminal: which hole is waiting on which
/// model, for how long, and on which attempt, e.g. <c>⏳ Program.cs:31 waiting on gpt-4.1-mini, attempt 2/4, 3.4 s
/// (+2 more holes)</c>. Lines printed through <see cref="Writer"/> clear the status line first. When the output is
/// not a terminal (redirected, CI), nothing is drawn.
/// </summary>
internal sealed class LiveProgress : IProgress<HoleProgress>, IDisposable
{
    private static readonly TimeSpan s_quiet = TimeSpan.FromMilliseconds(300);

    // Back to the start of the line and erase it (ANSI); counting characters would miss wide ones like the hourglass.
    private const string EraseLine = "\r\u001b[2K";

    private readonly ConcurrentDictionary<long, HoleProgress> _inFlight = new();
    private readonly TextWriter _console;
    private readonly Lock _gate = new();
    private readonly Timer? _timer;
    private int _drawn;

    public LiveProgress(TextWriter console)
    {
        _console = console;
        Enabled = !Console.IsOutputRedirected;
        Writer = new ClearingWriter(this);
        _timer = Enabled ? new Timer(_ => Draw(), null, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200)) : null;
    }

    /// <summary>Whether the status line is drawn (the output is a terminal).</summary>
    public bool Enabled { get; }

    /// <summary>Writes to the console, clearing the status line first.</summary>
    public TextWriter Writer { get; }

    /// <summary>Called by the holes as they go (synchronously, on the hole's thread).</summary>
    public void Report(HoleProgress value)
    {
        if (value.Stage is HoleProgressStage.Filled or HoleProgressStage.Failed)
        {
            _inFlight.TryRemove(value.HoleId, out _);
            if (_inFlight.IsEmpty)
            {
                Clear();
            }
        }
        else
        {
            _inFlight[value.HoleId] = value;
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        Clear();
    }

    private void Draw()
    {
        // The hole that has waited longest on the model (or been longest in any stage) speaks for the rest.
        var now = DateTimeOffset.UtcNow;
        var waiting = _inFlight.Values.OrderBy(p => p.Stage is HoleProgressStage.WaitingForModel or HoleProgressStage.RetryingModel ? 0 : 1)
            .ThenBy(p => p.Timestamp).FirstOrDefault();
        if (waiting is null || now - waiting.Timestamp < s_quiet)
        {
            return;
        }

        var line = new StringBuilder("  ⏳ ").Append(waiting.Site).Append(' ');
        line.Append(waiting.Stage switch
        {
            HoleProgressStage.WaitingForModel => $"waiting on {waiting.Model ?? "the model"}",
            HoleProgressStage.RetryingModel => $"retrying {waiting.Model ?? "the model"} ({waiting.Detail})",
            HoleProgressStage.Checking => "checking the code",
            HoleProgressStage.Running => "running its fill",
            _ => waiting.Stage.ToString().ToLowerInvariant(),
        });
        line.Append(", attempt ").Append(waiting.Attempt).Append('/').Append(waiting.MaxAttempts)
            .Append(", ").Append((now - waiting.Timestamp).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)).Append(" s");
        if (_inFlight.Count > 1)
        {
            line.Append(" (+").Append(_inFlight.Count - 1).Append(" more hole").Append(_inFlight.Count > 2 ? "s" : "").Append(')');
        }

        var width = Math.Max(20, SafeWidth() - 1);
        var text = line.Length > width ? line.ToString(0, width) : line.ToString();
        lock (_gate)
        {
            _console.Write(EraseLine + text);
            _console.Flush();
            _drawn = text.Length;
        }
    }

    private void Clear()
    {
        lock (_gate)
        {
            if (_drawn > 0)
            {
                _console.Write(EraseLine);
                _console.Flush();
                _drawn = 0;
            }
        }
    }

    private static int SafeWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 100;
        }
    }

    private sealed class ClearingWriter(LiveProgress owner) : TextWriter
    {
        public override Encoding Encoding => owner._console.Encoding;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(string? value)
        {
            lock (owner._gate)
            {
                if (owner._drawn > 0)
                {
                    owner._console.Write(EraseLine);
                    owner._drawn = 0;
                }

                owner._console.Write(value);
            }
        }

        public override void Flush() => owner._console.Flush();
    }
}
