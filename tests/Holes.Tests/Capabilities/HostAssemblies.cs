using System.Reflection;
using Holes.Pipeline.Compile;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Holes.Tests.Capabilities;

/// <summary>
/// Programs for the capability tests, compiled here with Roslyn and loaded like any library the host references:
/// one carries the effect table the Holes generator writes (hand-written here, as the generator would emit it), the
/// other has none, as a library built without the generator. Fills then compile against them like against the host.
/// </summary>
internal static class HostAssemblies
{
    public const string WithTableSource =
        """
        using System;
        using System.Collections.Generic;
        using System.Diagnostics.Contracts;
        using Holes.Runtime;

        [assembly: HoleEffectsAnalyzed]
        [assembly: HoleEffect("T:Host.Shell", "Shell.Run → System.Diagnostics.Process.Start")]
        [assembly: HoleEffect("M:Host.Shell.Run(System.String)", "Shell.Run → System.Diagnostics.Process.Start")]
        [assembly: HoleEffect("M:Host.Config.Reload", "Config.Reload → writes Host.Config.Current")]
        [assembly: HoleEffect("T:Host.Leaky", "Leaky.ToString → Host.Log.Lines.Add on static state")]
        [assembly: HoleEffect("M:Host.Leaky.ToString", "Leaky.ToString → Host.Log.Lines.Add on static state")]
        [assembly: HoleEffect("M:Host.Chatty.ToString", "Chatty.ToString → System.Console.WriteLine")]
        [assembly: HoleEffectFree("M:Host.Geometry.Area(System.Double)")]
        [assembly: HoleEffectFree("P:Host.Geometry.Unit")]

        namespace Host;

        public sealed record Point(int X, int Y)
        {
            public double Length() => Math.Sqrt(X * X + Y * Y);
        }

        public sealed class Shell
        {
            public static Shell Default => new();
            public static string Version() => "1";
            public string Run(string command) => "ran " + command;
        }

        public static class Geometry
        {
            public const double Tau = 6.28;
            public static readonly string Name = "geometry";
            public static readonly Point Origin = new(0, 0);
            public static readonly List<int> Primes = new() { 2, 3, 5 };
            public static readonly System.Collections.Immutable.ImmutableArray<int> Fixed = System.Collections.Immutable.ImmutableArray.Create(1, 2);
            public static readonly System.Collections.Immutable.ImmutableArray<int>.Builder Building = System.Collections.Immutable.ImmutableArray.CreateBuilder<int>();
            public static readonly System.Collections.Frozen.FrozenSet<string> Units = System.Collections.Frozen.FrozenSet.ToFrozenSet(new[] { "m", "s" });
            public static int Counter;
            public static double Area(double r) => r * r * 3.14;
            public static int Unit => 1;
            [Pure] public static int Twice(int x) => 2 * x;
            public static int Unproven(int x) => x;
        }

        public sealed class Settings
        {
            public string Name { get; set; } = "";
            public List<string> Tags { get; } = new();
        }

        public struct Vector
        {
            public int X;
            public void Bump() => X++;
            public readonly int Read() => X;
        }

        public sealed class Holder
        {
            public int Value;
        }

        public static class Config
        {
            public static string Current = "a";
            public static string CurrentProperty { get; set; } = "";
            public static readonly List<string> Items = new() { "a" };
            public static readonly Dictionary<string, int> Counts = new();
            public static readonly int[] Numbers = { 3, 1, 2 };
            public static readonly Settings Settings = new();
            public static readonly Holder Shared = new();
            public static Vector V;
            public static readonly Vector FrozenV;
            public static Vector VProperty { get; set; }
            public static event Action? Changed;
            public static void Reload() { Current = "b"; Changed?.Invoke(); }
        }

        public sealed class Mutable
        {
            private int _x;
            public int X => _x;
            public void Set(int x) => _x = x;
        }

        public static class Holders
        {
            public static readonly Mutable Hidden = new();
        }

        public static class Log
        {
            public static readonly List<string> Lines = new();
        }

        public sealed class Leaky
        {
            private readonly string _text;
            public Leaky(string text) => _text = text;
            public override string ToString() { Log.Lines.Add(_text); return "leaky"; }
        }

        public sealed class Chatty
        {
            private readonly string _text;
            public Chatty(string text) => _text = text;
            public override string ToString() { Console.WriteLine(_text); return "chatty"; }
        }
        """;

    public const string WithoutTableSource =
        """
        using System.Collections.Generic;
        using System.Diagnostics.Contracts;
        using Holes;

        namespace Library;

        [Capability]
        public interface IPager
        {
            void Page(string who);
        }

        public sealed class Pager : IPager
        {
            public void Page(string who) { }
        }

        public sealed record Envelope(IPager Pager)
        {
            public string Note => "ping";
        }

        public sealed record Money(decimal Amount, string Currency)
        {
            public Money Add(Money other) => this with { Amount = Amount + other.Amount };
        }

        public static class Rates
        {
            public const string Base = "EUR";
            public static readonly Money Zero = new(0, "EUR");
            public static readonly List<string> Known = new() { "EUR" };
            [Pure] public static decimal Round(decimal x) => decimal.Round(x, 2);
            public static decimal Lookup(string currency) => 1m;
        }
        """;

    private static readonly Lazy<Assembly> s_withTable = new(() => Build("Holes.Tests.HostWithTable", WithTableSource));
    private static readonly Lazy<Assembly> s_withoutTable = new(() => Build("Holes.Tests.HostWithoutTable", WithoutTableSource));

    /// <summary>The program with an effect table (namespace <c>Host</c>).</summary>
    public static Assembly WithTable => s_withTable.Value;

    /// <summary>A library without one (namespace <c>Library</c>).</summary>
    public static Assembly WithoutTable => s_withoutTable.Value;

    /// <summary>Creates an instance of a type of a host assembly.</summary>
    public static object Create(Assembly assembly, string typeName, params object?[] arguments) =>
        Activator.CreateInstance(assembly.GetType(typeName, throwOnError: true)!, arguments)!;

    /// <summary>Reads a static field or property of a host type, to show that a rejected fill changed nothing.</summary>
    public static object? Static(Assembly assembly, string typeName, string member)
    {
        var type = assembly.GetType(typeName, throwOnError: true)!;
        return type.GetField(member)?.GetValue(null) ?? type.GetProperty(member)?.GetValue(null);
    }

    /// <summary>Hands a value to the code under <paramref name="name"/>, typed as <paramref name="staticType"/>.</summary>
    public static HoleBindings Add(this HoleBindings bindings, string name, Type staticType, object? value)
    {
        var add = typeof(HoleBindings).GetMethod(nameof(HoleBindings.Add))!.MakeGenericMethod(staticType);
        return (HoleBindings)add.Invoke(bindings, [name, value])!;
    }

    private static Assembly Build(string name, string source)
    {
        var references = ReferenceSet.Shared.Template.References;
        var compilation = CSharpCompilation.Create(
            name,
            // [Pure] is [Conditional("CONTRACTS_FULL")]: without the symbol the compiler drops it from metadata.
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest, preprocessorSymbols: ["CONTRACTS_FULL"]))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var directory = Path.Combine(Path.GetTempPath(), "holes-tests", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".dll");
        var result = compilation.Emit(path);
        if (!result.Success)
        {
            throw new InvalidOperationException(string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        // Loaded into the default context like a referenced library; the reference set picks it up on the next fill.
        return Assembly.LoadFrom(path);
    }
}
