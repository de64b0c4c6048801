using System.Buffers;
using System.Globalization;
using System.Runtime;
using System.Text;
using System.Text.RegularExpressions;

namespace Holes.Security.Tests.Harness;

/// <summary>
/// Process-wide state a fill could change for everyone: encodings, cultures, AppContext switches and data, the
/// environment, GC and thread-pool settings, the regex cache, the console's writers, the shared array pool. The
/// child takes it when it starts and again after every case; any difference is a finding.
/// </summary>
internal static class ProcessProbe
{
    public const string Switch = "Holes.Security.Pwned";

    public static Dictionary<string, string> Take()
    {
        var state = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Encoding.GetEncoding(1252)"] = Try(() => Encoding.GetEncoding(1252).WebName),
            ["Encoding.Default"] = Encoding.Default.WebName,
            ["CultureInfo.DefaultThreadCurrentCulture"] = CultureInfo.DefaultThreadCurrentCulture?.Name ?? "(none)",
            ["CultureInfo.DefaultThreadCurrentUICulture"] = CultureInfo.DefaultThreadCurrentUICulture?.Name ?? "(none)",
            ["CultureInfo.CurrentCulture (this flow)"] = CultureInfo.CurrentCulture.Name,
            ["1.5 formatted in the current culture"] = 1.5.ToString(CultureInfo.CurrentCulture),
            ["CultureInfo.InvariantCulture.NumberFormat"] = CultureInfo.InvariantCulture.NumberFormat.NumberDecimalSeparator,
            ["AppContext switch"] = AppContext.TryGetSwitch(Switch, out var on) ? on.ToString() : "(unset)",
            ["AppContext data"] = AppContext.GetData(Switch)?.ToString() ?? "(unset)",
            ["env HOLES_PWNED"] = Environment.GetEnvironmentVariable("HOLES_PWNED") ?? "(unset)",
            ["GCSettings.LatencyMode"] = GCSettings.LatencyMode.ToString(),
            ["Regex.CacheSize"] = Regex.CacheSize.ToString(CultureInfo.InvariantCulture),
            ["Console.Out"] = Console.Out.GetType().FullName ?? "",
            ["Console.Error"] = Console.Error.GetType().FullName ?? "",
            ["TimeZoneInfo.Local"] = TimeZoneInfo.Local.Id,
            ["ArrayPool<byte>.Shared distinct"] = PoolHandsOutDistinctArrays(),
        };
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.GetMaxThreads(out var maxWorkers, out var maxIo);
        state["ThreadPool limits"] = $"{workers}/{io}/{maxWorkers}/{maxIo}";
        return state;
    }

    public static IEnumerable<string> Differences(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        before.Where(b => !after.TryGetValue(b.Key, out var now) || now != b.Value)
            .Select(b => $"process-wide state changed: {b.Key} was '{b.Value}', now '{after.GetValueOrDefault(b.Key)}'");

    private static string Try(Func<string> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is NotSupportedException or ArgumentException)
        {
            return "(not available)";
        }
    }

    /// <summary>A double return makes the pool hand one array to two renters: rent a handful and look for a repeat.</summary>
    private static string PoolHandsOutDistinctArrays()
    {
        var rented = new List<byte[]>();
        foreach (var size in new[] { 16, 256, 1024, 4096, 16384 })
        {
            for (var i = 0; i < 4; i++)
            {
                rented.Add(ArrayPool<byte>.Shared.Rent(size));
            }
        }

        var distinct = rented.Distinct(ReferenceEqualityComparer.Instance).Count() == rented.Count;
        foreach (var array in rented)
        {
            ArrayPool<byte>.Shared.Return(array, clearArray: true);
        }

        return distinct ? "yes" : "no: one array was handed out twice";
    }
}
