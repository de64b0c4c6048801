using Holes.Effects;
using Microsoft.CodeAnalysis;

namespace Holes.Generators.Tests;

/// <summary>
/// The effect table the build step (Holes.Effects) computes from the IL of a program that uses holes: which types are
/// authority, which members reach an effect (and by what path), which static members are effect-free. Each program is
/// compiled with the generator, as a build compiles it, emitted, and analysed from its image.
/// </summary>
public class EffectTableTests
{
    private const string Hole = """

        public static class HoleUser { public static Task<int> AskAsync() => Holes.Agents.agent<int>("count"); }
        """;

    [Fact]
    public void A_host_that_starts_processes_is_authority_and_its_path_names_the_api()
    {
        EffectTableResult table = Analyze("""
            using System.Diagnostics;

            public sealed class Shell
            {
                public void Run(string command) => Process.Start(command);
            }
            """);

        Assert.Equal("Shell.Run → System.Diagnostics.Process.Start", table.Effects["T:Shell"]);
        Assert.Equal("Shell.Run → System.Diagnostics.Process.Start", table.Effects["M:Shell.Run(System.String)"]);
        // Constructing a Shell runs nothing, but hands out its authority: that is what the type's entry is for.
        Assert.DoesNotContain("M:Shell.#ctor", table.Effects.Keys);
        Assert.DoesNotContain("M:Shell.#ctor", table.EffectFree);
    }

    [Fact]
    public void A_static_collection_mutated_through_a_method_is_a_static_write_and_reading_it_is_not()
    {
        EffectTableResult table = Analyze("""
            public static class Log
            {
                private static readonly List<string> s_lines = new();
                public static void Write(string line) => s_lines.Add(line);
                public static int Count => s_lines.Count;
            }
            """);

        Assert.Equal("Log.Write → mutates static Log.s_lines (System.Collections.Generic.List<T>.Add)", table.Effects["M:Log.Write(System.String)"]);
        Assert.Equal(table.Effects["M:Log.Write(System.String)"], table.Effects["T:Log"]);
        Assert.Contains("P:Log.Count", table.EffectFree);
        Assert.DoesNotContain("M:Log.Write(System.String)", table.EffectFree);
    }

    [Theory]
    [InlineData("s_count = 1;", "writes static S.s_count")]
    [InlineData("s_count += 2;", "writes static S.s_count")]
    [InlineData("s_count++;", "writes static S.s_count")]
    [InlineData("(s_count, var other) = (1, 2);", "writes static S.s_count")]
    [InlineData("Bump(ref s_count);", "passes by reference static S.s_count")]
    [InlineData("ref int alias = ref s_count; alias = 3;", "takes a reference to static S.s_count")]
    [InlineData("s_origin.X = 1;", "writes static S.s_origin")]
    [InlineData("s_table[0] = 2;", "writes static S.s_table")]
    [InlineData("Array.Sort(s_table);", "mutates static S.s_table (System.Array.Sort<T>)")]
    [InlineData("s_names.Add(\"x\");", "mutates static S.s_names (System.Collections.Generic.List<T>.Add)")]
    [InlineData("s_counter.Increment();", "mutates static S.s_counter (Counter.Increment)")]
    [InlineData("Settings.Current.Name = \"x\";", "writes static Settings.Current")]
    [InlineData("int copy = s_count; _ = copy;", "reads mutable static S.s_count")]
    public void Every_shape_of_static_write_is_an_effect(string statement, string effect)
    {
        EffectTableResult table = Analyze($$"""
            public struct Point { public int X; }
            public sealed class Counter { private int _value; public void Increment() => _value++; public int Peek() => _value; }
            public sealed class Settings { public string Name { get; set; } = ""; public static Settings Current { get; } = new(); }
            public static class S
            {
                private static int s_count;
                private static Point s_origin;
                private static readonly int[] s_table = { 1, 2 };
                private static readonly List<string> s_names = new();
                private static readonly Counter s_counter = new();
                private static void Bump(ref int value) => value++;
                public static void M() { {{statement}} }
                public static int Peek() => s_counter.Peek();
                public static int Next => s_count++;
            }
            """);

        Assert.Equal("S.M → " + effect, table.Effects["M:S.M"]);
        Assert.Contains("M:S.Peek", table.EffectFree);
        Assert.Equal("S.s_count → mutable static state", table.Effects["T:S"]);
        Assert.Equal("S.Next → writes static S.s_count", table.Effects["P:S.Next"]);
    }

    [Fact]
    public void A_data_record_is_not_authority_and_its_pure_statics_are_effect_free()
    {
        EffectTableResult table = Analyze("""
            namespace Museum;

            public sealed record Person(string Name, int Born)
            {
                public int AgeIn(int year) => year - Born;
                public static Person Parse(string text) => new(text.Split(',')[0], int.Parse(text.Split(',')[1]));
            }

            public static class Arithmetic
            {
                public static int Twice(int x) => x * 2;
                public static int Quadruple(int x) => Twice(Twice(x));
                public static IReadOnlyList<int> Evens(IEnumerable<int> xs) => xs.Where(x => x % 2 == 0).Select(Twice).ToList();
            }
            """);

        Assert.DoesNotContain(table.Effects.Keys, id => id.Contains("Museum.Person", StringComparison.Ordinal));
        Assert.DoesNotContain(table.Effects.Keys, id => id.Contains("Museum.Arithmetic", StringComparison.Ordinal));
        Assert.Contains("M:Museum.Person.Parse(System.String)", table.EffectFree);
        Assert.Contains("M:Museum.Arithmetic.Twice(System.Int32)", table.EffectFree);
        Assert.Contains("M:Museum.Arithmetic.Quadruple(System.Int32)", table.EffectFree);
        Assert.Contains("M:Museum.Arithmetic.Evens(System.Collections.Generic.IEnumerable{System.Int32})", table.EffectFree);
    }

    [Fact]
    public void Capability_types_their_users_and_the_types_that_hold_them_are_authority()
    {
        EffectTableResult table = Analyze("""
            using Holes;

            namespace Mail;

            [Capability]
            public interface IMailbox { void Send(string to, string body); }

            [Capability]
            public sealed class Printer { public void Print(string text) { } }

            public sealed class Notifier
            {
                private readonly IMailbox _mailbox;
                public Notifier(IMailbox mailbox) => _mailbox = mailbox;
                public void Notify(string who) => _mailbox.Send(who, "hello");
            }

            public static class Office
            {
                public static void Announce(Printer printer) => printer.Print("hello");
            }

            public sealed record Letter(string To, string Body);
            """);

        Assert.Equal("[Capability] Mail.IMailbox", table.Effects["T:Mail.IMailbox"]);
        Assert.Equal("[Capability] Mail.Printer", table.Effects["T:Mail.Printer"]);
        Assert.Equal("Printer.Print → [Capability] Mail.Printer", table.Effects["M:Mail.Printer.Print(System.String)"]);
        Assert.Equal("Notifier._mailbox → [Capability] Mail.IMailbox", table.Effects["T:Mail.Notifier"]);
        Assert.Equal("Notifier.Notify → [Capability] Mail.IMailbox.Send", table.Effects["M:Mail.Notifier.Notify(System.String)"]);
        Assert.Equal("Office.Announce → [Capability] Mail.Printer.Print", table.Effects["M:Mail.Office.Announce(Mail.Printer)"]);
        Assert.DoesNotContain("T:Mail.Letter", table.Effects.Keys);
    }

    [Fact]
    public void Paths_follow_the_shortest_chain_through_the_program_to_the_effect()
    {
        EffectTableResult table = Analyze("""
            using System.IO;

            public static class A { public static void Go() => B.Go(); public static void Both() { C.Go(); B.Go(); } }
            public static class B { public static void Go() => C.Go(); }
            public static class C { public static void Go() => Disk.Erase(); }
            public static class Disk { public static void Erase() => File.Delete("data"); }
            public sealed class Factory { public Disk2 Make() => new Disk2(); }
            public sealed class Disk2 { public void Erase() => File.Delete("data"); }
            """);

        Assert.Equal("A.Go → B.Go → C.Go → Disk.Erase → System.IO.File.Delete", table.Effects["M:A.Go"]);
        Assert.Equal("A.Both → C.Go → Disk.Erase → System.IO.File.Delete", table.Effects["M:A.Both"]);
        Assert.Equal("Factory.Make → new Disk2 → Disk2.Erase → System.IO.File.Delete", table.Effects["T:Factory"]);
    }

    [Fact]
    public void Calls_through_interfaces_and_virtual_methods_reach_every_implementation()
    {
        EffectTableResult table = Analyze("""
            using System.IO;

            public interface IStore { void Save(string text); }
            public sealed class DiskStore : IStore { public void Save(string text) => File.WriteAllText("store", text); }
            public sealed class MemoryStore : IStore { public List<string> Items { get; } = new(); public void Save(string text) => Items.Add(text); }
            public static class Saver { public static void SaveAll(IStore store) => store.Save("x"); }

            public class Shape { public virtual double Area() => 0; }
            public class Blob : Shape { public override double Area() => double.Parse(File.ReadAllText("blob")); }
            public static class Geometry { public static double Total(Shape shape) => shape.Area(); }
            """);

        Assert.Equal("Saver.SaveAll → IStore.Save → DiskStore.Save → System.IO.File.WriteAllText", table.Effects["M:Saver.SaveAll(IStore)"]);
        Assert.DoesNotContain("T:MemoryStore", table.Effects.Keys);
        Assert.Equal("Geometry.Total → Shape.Area → Blob.Area → System.IO.File.ReadAllText", table.Effects["M:Geometry.Total(Shape)"]);
    }

    [Fact]
    public void A_static_initializer_with_an_effect_taints_every_static_member_of_its_type()
    {
        EffectTableResult table = Analyze("""
            public static class Startup
            {
                public static readonly string Home = Environment.GetEnvironmentVariable("HOME") ?? "";
                public static int Two() => 2;
            }
            public static class Constants
            {
                public const int Answer = 42;
                public static readonly string Greeting = "hello";
                public static int Three() => 3;
            }
            """);

        Assert.Equal("Startup.Two → static Startup → System.Environment.GetEnvironmentVariable", table.Effects["M:Startup.Two"]);
        Assert.Equal("static Startup → System.Environment.GetEnvironmentVariable", table.Effects["T:Startup"]);
        Assert.Contains("M:Constants.Three", table.EffectFree);
    }

    [Fact]
    public void Top_level_statements_partial_classes_and_private_members()
    {
        EffectTableResult table = Analyze(
            """
            using static Holes.Agents;

            var greeting = await agent<string>("say hello");
            Console.WriteLine(greeting);

            public partial class Split { public void A() => B(); }
            public partial class Split { private void B() => Console.WriteLine("b"); private static int Hidden() => 1; }
            """,
            OutputKind.ConsoleApplication,
            withHole: false);

        Assert.Equal("top-level statements → System.Console.WriteLine", table.Effects["T:Program"]);
        Assert.Equal("Split.A → Split.B → System.Console.WriteLine", table.Effects["M:Split.A"]);
        Assert.DoesNotContain("M:Split.B", table.Effects.Keys);
        Assert.DoesNotContain("M:Split.Hidden", table.EffectFree);
    }

    [Fact]
    public void A_referenced_library_is_judged_by_its_own_table_or_else_by_the_fallback_rules()
    {
        MetadataReference analyzed = Library("Tools", """
            using System.IO;
            namespace Tools;
            public static class Text { public static string Shout(string s) => s.ToUpperInvariant(); }
            public static class Files { public static string Read(string path) => File.ReadAllText(path); }
            public static class HoleUser { public static Task<int> AskAsync() => Holes.Agents.agent<int>("count"); }
            """);
        MetadataReference plain = Library("Plain", """
            namespace Plain;
            public static class Clock { public static int Ticks() => 1; public const int Max = 3; public static readonly string Name = "n"; }
            """, withTable: false);

        Compilation program = GeneratorHarness.Compile(
            [("/src/GlobalUsings.g.cs", GeneratorHarness.GlobalUsings), ("/src/Program.cs", """
                public static class Uses
                {
                    public static string Loud(string s) => Tools.Text.Shout(s);
                    public static string Load() => Tools.Files.Read("x");
                    public static int Now() => Plain.Clock.Ticks();
                    public static int Fine() => Plain.Clock.Max + Plain.Clock.Name.Length;
                }
                """ + Hole)]).AddReferences(analyzed, plain);
        EffectTableResult table = Analyze(program)!;

        Assert.Contains("M:Uses.Loud(System.String)", table.EffectFree);
        Assert.Equal("Uses.Load → Tools.Files.Read → Files.Read → System.IO.File.ReadAllText", table.Effects["M:Uses.Load"]);
        Assert.Equal("Uses.Now → Plain.Clock.Ticks (a static member of Plain, which has no effect table)", table.Effects["M:Uses.Now"]);
        Assert.Contains("M:Uses.Fine", table.EffectFree);
    }

    [Fact]
    public void Only_programs_that_use_holes_get_a_table()
    {
        const string types = "public static class Tools { public static int One() => 1; }";
        Assert.Null(Analyze(GeneratorHarness.Compile(types), expectTable: false));
        Assert.Null(Analyze(GeneratorHarness.Compile(
            [("/src/GlobalUsings.g.cs", GeneratorHarness.GlobalUsings), ("/src/Program.cs", types + Hole.Replace("Holes.Agents.agent<int>(\"count\")", "Task.FromResult(1)", StringComparison.Ordinal))],
            referenceHoles: false), expectTable: false));

        // ExecuteAsync runs code through the verifier too, so it needs the table as much as a hole does.
        EffectTableResult table = Analyze(GeneratorHarness.Compile(types + """

            public static class Repl
            {
                public static Task<Holes.HoleResult<int>> RunAsync(Holes.AgentSession session) => session.ExecuteAsync<int>("return 1;");
            }
            """))!;
        Assert.Contains("M:Tools.One", table.EffectFree);
    }

    [Fact]
    public void Lambdas_local_functions_iterators_and_async_methods_belong_to_the_member_that_declares_them()
    {
        EffectTableResult table = Analyze("""
            using System.IO;

            public static class Work
            {
                public static Func<string> Reader() => () => File.ReadAllText("a");
                public static int Local() { return Count(); static int Count() => Directory.GetFiles(".").Length; }
                public static IEnumerable<string> Lines() { yield return File.ReadAllText("b"); }
                public static async Task<string> LoadAsync() { await Task.Yield(); return await File.ReadAllTextAsync("c"); }
                public static async Task<int> PureAsync(int x) { await Task.Yield(); return x * 2; }
                public static IEnumerable<int> Evens(int n) { for (var i = 0; i < n; i += 2) { yield return i; } }
                public static int Captured(int x) { var k = x; Func<int> f = () => k + 1; return f(); }
                public static int Nested() => new[] { 1 }.Select(i => new[] { i }.Select(j => Environment.ProcessorCount + j).Sum()).Sum();
            }
            """);

        Assert.Equal("Work.Reader → System.IO.File.ReadAllText", table.Effects["M:Work.Reader"]);
        Assert.Equal("Work.Local → System.IO.Directory.GetFiles", table.Effects["M:Work.Local"]);
        Assert.Equal("Work.Lines → System.IO.File.ReadAllText", table.Effects["M:Work.Lines"]);
        Assert.Equal("Work.LoadAsync → System.IO.File.ReadAllTextAsync", table.Effects["M:Work.LoadAsync"]);
        Assert.Equal("Work.Nested → System.Environment.ProcessorCount", table.Effects["M:Work.Nested"]);
        Assert.Contains("M:Work.PureAsync(System.Int32)", table.EffectFree);
        Assert.Contains("M:Work.Evens(System.Int32)", table.EffectFree);
        Assert.Contains("M:Work.Captured(System.Int32)", table.EffectFree);
        Assert.DoesNotContain(table.Effects.Keys, id => id.Contains('<', StringComparison.Ordinal));
        Assert.DoesNotContain(table.EffectFree, id => id.Contains('<', StringComparison.Ordinal));
    }

    [Fact]
    public void What_the_compiler_emits_to_lower_a_construct_is_not_judged_as_the_programs_own_call()
    {
        // Array and collection initializers (RuntimeHelpers, CollectionsMarshal), switch expressions
        // (SwitchExpressionException), typeof (Type.GetTypeFromHandle), await (builders, awaiters): none is an effect.
        EffectTableResult table = Analyze("""
            public enum Size { Small, Large }
            public static class Lowered
            {
                public static int[] Array() => new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
                public static List<int> Collection() => [1, 2, 3];
                public static string Name(Size size) => size switch { Size.Small => "s", Size.Large => "l" };
                public static bool IsText(object o) => o.GetType() == typeof(string) || o is string;
                public static object Token() => typeof(int);
                public static bool Same<T>() => typeof(T) == typeof(int);
                public static async Task<int> Later() { await Task.Delay(1); return 1; }
            }
            """);

        Assert.Contains("M:Lowered.Array", table.EffectFree);
        Assert.Contains("M:Lowered.Collection", table.EffectFree);
        Assert.Contains("M:Lowered.Name(Size)", table.EffectFree);
        Assert.Contains("M:Lowered.Later", table.EffectFree);
        // typeof alone is not reflection; object.GetType() and Type's operators are, as they are for a fill.
        Assert.Contains("M:Lowered.Token", table.EffectFree);
        Assert.Equal("Lowered.IsText → System.Object.GetType", table.Effects["M:Lowered.IsText(System.Object)"]);
        Assert.Equal("Lowered.Same<T> → System.Type.operator ==", table.Effects["M:Lowered.Same``1"]);
    }

    [Fact]
    public void Pure_members_of_a_library_without_a_table_are_effect_free_and_others_are_not()
    {
        MetadataReference plain = Library("Rates", """
            using System.Diagnostics.Contracts;
            namespace Rates;
            public static class Money { [Pure] public static decimal Round(decimal x) => decimal.Round(x, 2); public static decimal Lookup(string c) => 1m; }
            """, withTable: false, preprocessorSymbols: ["CONTRACTS_FULL"]);

        EffectTableResult table = Analyze(GeneratorHarness.Compile(
            [("/src/GlobalUsings.g.cs", GeneratorHarness.GlobalUsings), ("/src/Program.cs", """
                public static class Uses
                {
                    public static decimal Rounded(decimal x) => Rates.Money.Round(x);
                    public static decimal Rate() => Rates.Money.Lookup("EUR");
                }
                """ + Hole)]).AddReferences(plain))!;

        Assert.Contains("M:Uses.Rounded(System.Decimal)", table.EffectFree);
        Assert.Equal("Uses.Rate → Rates.Money.Lookup (a static member of Rates, which has no effect table)", table.Effects["M:Uses.Rate"]);
    }

    private static EffectTableResult Analyze(string source, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary, bool withHole = true) =>
        Analyze(GeneratorHarness.Compile(withHole ? source + Hole : source, outputKind))!;

    /// <summary>Runs the generator, emits the program as a build does, and computes the table from the image.</summary>
    private static EffectTableResult? Analyze(Compilation compilation, bool expectTable = true)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(compilation);
        outcome.AssertCompilesCleanly();
        Assert.Null(outcome.Source("Holes.Effects.g.cs"));
        EffectTableResult? table = AssemblyEffects.Analyze(Emit(outcome.Output), outcome.Output.References);
        Assert.Equal(expectTable, table is not null);
        return table;
    }

    private static byte[] Emit(Compilation compilation)
    {
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult result = compilation.Emit(image);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return image.ToArray();
    }

    /// <summary>A library, with the table the build step writes into it, or without one (built without Holes' targets).</summary>
    private static MetadataReference Library(string name, string source, bool withTable = true, string[]? preprocessorSymbols = null)
    {
        Compilation compilation = GeneratorHarness.Compile(
            [("/src/GlobalUsings.g.cs", GeneratorHarness.GlobalUsings), ($"/src/{name}.cs", source)], assemblyName: name);
        if (preprocessorSymbols is not null)
        {
            compilation = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Last(), compilation.SyntaxTrees.Last().WithRootAndOptions(
                compilation.SyntaxTrees.Last().GetRoot(), GeneratorHarness.ParseOptions.WithPreprocessorSymbols(preprocessorSymbols)));
        }

        GeneratorOutcome outcome = GeneratorHarness.Run(compilation);
        outcome.AssertCompilesCleanly();
        byte[] image = Emit(outcome.Output);
        if (withTable)
        {
            using var rewritten = new MemoryStream();
            Assert.Equal(EffectsOutcome.Written, AssemblyEffects.Rewrite(image, null, rewritten, null, outcome.Output.References));
            image = rewritten.ToArray();
        }

        return MetadataReference.CreateFromImage(image);
    }
}
