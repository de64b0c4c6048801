using System.Diagnostics;
using System.Globalization;

namespace Holes.Benchmarks;

/// <summary>Samples in milliseconds and their order statistics.</summary>
internal sealed class Samples
{
    private readonly List<double> _values = [];

    public int Count => _values.Count;

    public void Add(double milliseconds) => _values.Add(milliseconds);

    public double Mean => _values.Count == 0 ? double.NaN : _values.Average();

    public double P50 => Percentile(0.50);

    public double P95 => Percentile(0.95);

    public double Min => _values.Count == 0 ? double.NaN : _values.Min();

    public double Max => _values.Count == 0 ? double.NaN : _values.Max();

    /// <summary>The median of <paramref name="values"/>.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var samples = new Samples();
        foreach (var value in values)
        {
            samples.Add(value);
        }

        return samples.P50;
    }

    /// <summary>Linear interpolation between closest ranks.</summary>
    public double Percentile(double p)
    {
        if (_values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = _values.Order().ToArray();
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}

internal static class Timing
{
    public static double Since(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;

    public static string Ms(double milliseconds) => milliseconds.ToString("F2", CultureInfo.InvariantCulture);

    public static string Mb(double bytes) => (bytes / (1024.0 * 1024.0)).ToString("F1", CultureInfo.InvariantCulture);

    public static string F(double value, string format = "F2") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A ratio as a percentage with one decimal (0.123 is "12.3%").</summary>
    public static string Pct(double ratio) => F(ratio * 100, "F1") + "%";

    /// <summary>
    /// The 1-minute load average (Linux), to tell from the output whether something else competed for the cores.
    /// </summary>
    public static double? LoadAverage()
    {
        try
        {
            var text = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg") : null;
            return text is null ? null : double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static string LoadNote()
    {
        var load = LoadAverage();
        if (load is not { } value)
        {
            return "";
        }

        // This benchmark itself keeps about one core busy; more than one per core means other processes compete.
        var busy = value > Environment.ProcessorCount ? "  (busy machine: other processes compete for the cores; figures will be inflated)" : "";
        return $"load average {F(value)} on {Environment.ProcessorCount} cores{busy}";
    }
}

/// <summary>The figures of the run, printed together at the end.</summary>
internal sealed class Summary
{
    private readonly List<(string Metric, string Value, string Target, string Status)> _rows = [];

    public bool AnyMiss => _rows.Exists(r => r.Status is "MISS" or "ERROR");

    public void Figure(string metric, string value) => _rows.Add((metric, value, "", ""));

    public void Check(string metric, string value, string target, bool pass) => _rows.Add((metric, value, target, pass ? "PASS" : "MISS"));

    public void Error(string metric, string message) => _rows.Add((metric, message, "", "ERROR"));

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine("==================================== SUMMARY ====================================");
        var metricWidth = Math.Max(10, _rows.Count == 0 ? 0 : _rows.Max(r => r.Metric.Length));
        var valueWidth = Math.Max(8, _rows.Count == 0 ? 0 : _rows.Max(r => r.Value.Length));
        foreach (var (metric, value, target, status) in _rows)
        {
            var line = $"{metric.PadRight(metricWidth)}  {value.PadLeft(valueWidth)}";
            if (status.Length > 0)
            {
                line += $"  {status,-5} {target}";
            }

            Console.WriteLine(line.TrimEnd());
        }

        Console.WriteLine("=================================================================================");
    }
}
