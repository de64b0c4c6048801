using System.Globalization;
using System.Text;

namespace Holes.Benchmarks;

/// <summary>
/// The source of a realistic application of <see cref="FileCount"/> files, generated in memory for the build section:
/// per file a namespace with an enum, records, a store interface and its implementation, a static pricing helper
/// and a service that calls the helper, the store and the previous file's service, with LINQ throughout. Every
/// fourth file also writes reports through <c>System.IO</c>, every tenth runs a tool through <c>Process</c> and reads
/// the environment, and every seventh keeps a mutable static counter, so the effect analysis has authority types,
/// static state and transitive paths to find. The holes variant adds <c>agent&lt;T&gt;</c> calls: 20 in
/// <see cref="HoleFile"/> and one in each of the next 180 files.
/// </summary>
internal static class GeneratedProject
{
    public const int FileCount = 500;
    public const int HolesInHoleFile = 20;
    public const int FilesWithOneHole = 180;
    public const int HoleFile = 0;

    /// <summary>The incremental edit of a body: the number after this, in <c>OrderService0.Summary</c>, outside any hole.</summary>
    public const string BodyEditAnchor = "var width = ";

    /// <summary>The incremental edit of a site: the number in parentheses after this, in the first hole's task text.</summary>
    public const string TaskEditAnchor = "above the limit (";

    public static int TotalHoles(bool withHoles) => withHoles ? HolesInHoleFile + FilesWithOneHole : 0;

    public static string Path(int file) => $"/src/Shop/M{file}.cs";

    public static int HolesIn(int file, bool withHoles) => !withHoles ? 0 : file == HoleFile ? HolesInHoleFile : file <= FilesWithOneHole ? 1 : 0;

    public static string Source(int i, bool withHoles)
    {
        var prev = (i + FileCount - 1) % FileCount;
        var holes = HolesIn(i, withHoles);
        var writesFiles = i % 4 == 1;
        var runsTools = i % 10 == 3;
        var counts = i % 7 == 2;

        var b = new StringBuilder(8 * 1024);
        b.Append(CultureInfo.InvariantCulture, $$"""
            using System;
            using System.Collections.Generic;
            using System.Diagnostics;
            using System.Globalization;
            using System.IO;
            using System.Linq;
            using System.Text;
            using System.Threading;
            using System.Threading.Tasks;
            {{(holes > 0 ? "using static Holes.Agents;\n" : "")}}
            namespace Shop.M{{i}};

            public enum Status{{i}} { Pending, Active, Suspended, Closed }

            public sealed record Customer{{i}}(int Id, string Name, string Email, Status{{i}} Status)
            {
                public bool IsActive => Status == Status{{i}}.Active;
                public string Domain => Email.Substring(Email.IndexOf('@') + 1);
            }

            public sealed record Line{{i}}(string Sku, int Quantity, decimal UnitPrice)
            {
                public decimal Total => Quantity * UnitPrice;
            }

            public sealed record Order{{i}}(int Id, Customer{{i}} Customer, IReadOnlyList<Line{{i}}> Lines, DateTime PlacedAt)
            {
                public decimal Total => Lines.Sum(l => l.Total);
                public int Items => Lines.Sum(l => l.Quantity);
            }

            public interface IOrderStore{{i}}
            {
                IEnumerable<Order{{i}}> All();
                Order{{i}}? Find(int id);
                void Save(Order{{i}} order);
                bool Remove(int id);
            }

            public static class Pricing{{i}}
            {
                public const decimal TaxRate = 0.2m;
                private static readonly string[] s_bands = ["low", "medium", "high"];

                public static decimal WithTax(decimal amount) => Math.Round(amount * (1 + TaxRate), 2);

                public static decimal Discount(Order{{i}} order) => order.Items switch
                {
                    > 100 => order.Total * 0.1m,
                    > 10 => order.Total * 0.05m,
                    _ => 0m,
                };

                public static string Format(decimal amount) => amount.ToString("F2", CultureInfo.InvariantCulture);

                public static string Band(decimal amount) => s_bands[amount switch { < 100m => 0, < 1000m => 1, _ => 2 }];

                public static IEnumerable<Line{{i}}> Expensive(IEnumerable<Line{{i}}> lines, decimal threshold) =>
                    lines.Where(l => l.UnitPrice > threshold).OrderByDescending(l => l.UnitPrice).ThenBy(l => l.Sku);

                public static int Checksum(string text)
                {
                    var hash = 17;
                    foreach (var c in text)
                    {
                        hash = unchecked((hash * 31) + c);
                    }

                    return hash;
                }
            }

            public sealed class InMemoryStore{{i}} : IOrderStore{{i}}
            {
                private readonly Dictionary<int, Order{{i}}> _orders = new();

                public IEnumerable<Order{{i}}> All() => _orders.Values.OrderBy(o => o.Id);

                public Order{{i}}? Find(int id) => _orders.TryGetValue(id, out var order) ? order : null;

                public void Save(Order{{i}} order) => _orders[order.Id] = order;

                public bool Remove(int id) => _orders.Remove(id);
            }

            public sealed class OrderService{{i}}
            {
                private readonly IOrderStore{{i}} _store;
                private readonly Shop.M{{prev}}.OrderService{{prev}}? _upstream;
                private int _created;

                public OrderService{{i}}(IOrderStore{{i}} store, Shop.M{{prev}}.OrderService{{prev}}? upstream = null)
                {
                    _store = store;
                    _upstream = upstream;
                }

                public Order{{i}} Place(Customer{{i}} customer, params Line{{i}}[] lines)
                {
                    if (lines.Length == 0)
                    {
                        throw new ArgumentException("An order needs at least one line.", nameof(lines));
                    }

                    var order = new Order{{i}}(++_created, customer, lines, DateTime.UtcNow);
                    _store.Save(order);
                    return order;
                }

                public decimal Revenue() => _store.All().Sum(o => Pricing{{i}}.WithTax(o.Total - Pricing{{i}}.Discount(o)));

                public decimal TotalRevenue() => Revenue() + (_upstream?.Revenue() ?? 0m);

                public IReadOnlyList<string> TopCustomers(int count) =>
                    _store.All()
                        .GroupBy(o => o.Customer.Name)
                        .Select(g => (Name: g.Key, Total: g.Sum(o => o.Total)))
                        .OrderByDescending(x => x.Total)
                        .Take(count)
                        .Select(x => $"{x.Name}: {Pricing{{i}}.Format(x.Total)} ({Pricing{{i}}.Band(x.Total)})")
                        .ToList();

                public Dictionary<Status{{i}}, int> CountByStatus() =>
                    _store.All().GroupBy(o => o.Customer.Status).ToDictionary(g => g.Key, g => g.Count());

                public IEnumerable<Order{{i}}> Recent(TimeSpan window)
                {
                    var since = DateTime.UtcNow - window;
                    return from o in _store.All() where o.PlacedAt >= since orderby o.PlacedAt descending select o;
                }

                public bool Cancel(int id)
                {
                    var order = _store.Find(id);
                    return order is not null && order.Customer.IsActive && _store.Remove(id);
                }

                public string Summary()
                {
                    var width = 40;
                    var sb = new StringBuilder();
                    sb.AppendLine("Orders".PadRight(width, '.'));
                    foreach (var order in _store.All().Take(10))
                    {
                        sb.Append(order.Id).Append(' ').Append(order.Customer.Name).Append(' ').AppendLine(Pricing{{i}}.Format(order.Total));
                    }

                    sb.AppendLine($"checksum {Pricing{{i}}.Checksum(sb.ToString())}, revenue {Pricing{{i}}.Format(TotalRevenue())}");
                    return sb.ToString();
                }

                public async Task<int> CountAsync(CancellationToken cancellationToken)
                {
                    await Task.Delay(1, cancellationToken);
                    return _store.All().Count();
                }

            """);

        if (writesFiles)
        {
            b.Append(CultureInfo.InvariantCulture, $$"""
                    public void Export(ReportWriter{{i}} writer) => writer.Write("orders-{{i}}", Summary());
                }

                public sealed class ReportWriter{{i}}
                {
                    private readonly string _directory;

                    public ReportWriter{{i}}(string directory) => _directory = directory;

                    public string Write(string name, string content)
                    {
                        Directory.CreateDirectory(_directory);
                        var path = Path.Combine(_directory, name + ".txt");
                        File.WriteAllText(path, content);
                        return path;
                    }

                    public IReadOnlyList<string> Existing() => Directory.EnumerateFiles(_directory, "*.txt").Select(Path.GetFileName).OfType<string>().ToList();
                }

                """);
        }
        else
        {
            b.Append("}\n\n");
        }

        if (runsTools)
        {
            b.Append(CultureInfo.InvariantCulture, $$"""
                public static class Tools{{i}}
                {
                    public static string Git(string arguments)
                    {
                        var start = new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, UseShellExecute = false };
                        using var process = Process.Start(start) ?? throw new InvalidOperationException("git did not start");
                        var output = process.StandardOutput.ReadToEnd();
                        process.WaitForExit();
                        return output.Trim();
                    }

                    public static string Home() => Environment.GetEnvironmentVariable("HOME") ?? "/";
                }

                """);
        }

        if (counts)
        {
            b.Append(CultureInfo.InvariantCulture, $$"""
                public static class Sequence{{i}}
                {
                    private static int s_next;
                    private static readonly List<int> s_issued = new();

                    public static int Next()
                    {
                        var id = Interlocked.Increment(ref s_next);
                        s_issued.Add(id);
                        return id;
                    }

                    public static int Issued => s_issued.Count;
                }

                """);
        }

        if (holes > 0)
        {
            AppendAssistant(b, i, holes);
        }

        return b.ToString();
    }

    /// <summary>A class whose methods are holes, with varied result types and values handed in.</summary>
    private static void AppendAssistant(StringBuilder b, int i, int holes)
    {
        b.Append(CultureInfo.InvariantCulture, $$"""
            public sealed class Assistant{{i}}
            {
                private readonly OrderService{{i}} _service;

                public Assistant{{i}}(OrderService{{i}} service) => _service = service;

            """);
        for (var k = 0; k < holes; k++)
        {
            var hole = (k % 6) switch
            {
                0 => $$"""
                        public async Task<int> CountAbove{{k}}(IReadOnlyList<Order{{i}}> orders, decimal limit) =>
                            await agent<int>("count the orders whose total is above the limit ({{k}})", orders, limit);
                    """,
                1 => $$"""
                        public async Task<string> Describe{{k}}(Customer{{i}} customer)
                        {
                            var history = _service.Recent(TimeSpan.FromDays(30)).Where(o => o.Customer.Id == customer.Id).ToList();
                            return await agent<string>("a one-line description of the customer and the history ({{k}})", customer, history);
                        }
                    """,
                2 => $$"""
                        public async Task<List<Order{{i}}>> Pick{{k}}(IEnumerable<Order{{i}}> orders, string query) =>
                            await agent<List<Order{{i}}>>("the orders that match the query ({{k}})", orders, query);
                    """,
                3 => $$"""
                        public async Task<decimal> Estimate{{k}}(Order{{i}} order)
                        {
                            var discount = Pricing{{i}}.Discount(order);
                            return await agent<decimal>("estimate the shipping cost of the order after the discount ({{k}})", order, discount);
                        }
                    """,
                4 => $$"""
                        public async Task<Dictionary<string, int>> Tally{{k}}(IReadOnlyList<Line{{i}}> lines) =>
                            await agent<Dictionary<string, int>>("the quantity per sku across the lines ({{k}})", lines);
                    """,
                _ => $$"""
                        public async Task<bool> Check{{k}}(Customer{{i}} customer, CancellationToken cancellationToken) =>
                            await agent<bool>("whether the customer looks like a test account ({{k}})", cancellationToken, customer);
                    """,
            };
            b.Append(hole).Append("\n\n");
        }

        b.Append("}\n");
    }
}
