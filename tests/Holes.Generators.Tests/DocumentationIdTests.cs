using Basic.Reference.Assemblies;
using Holes.Effects;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Mono.Cecil;

namespace Holes.Generators.Tests;

/// <summary>
/// The build step names members by documentation comment ids it forms from metadata; the runtime looks them up by the
/// ids Roslyn forms for symbols. They must be the same strings, for every shape of member.
/// </summary>
public class DocumentationIdTests
{
    private const string Sample = """
        using System;
        using System.Collections;
        using System.Collections.Generic;

        namespace Shapes.Inner;

        public interface IShape<T> { T Area(); int Sides { get; } event EventHandler Changed; }
        public delegate int Folder<in T>(T item);
        public enum Colour { Red, Green }

        public class Outer<T>
        {
            public class Nested<U> { public T First(U u, T t) => t; public V Pick<V>(V v, Nested<U> self) => v; }
            public class Plain { public T? Held; }
            public static Outer<T> Make() => new();
            public T this[int i, string s] => default!;
            public void Take(Outer<T>.Nested<int> n, Outer<string>.Plain p, Dictionary<T, List<int[]>> d) { }
        }

        public unsafe sealed class Everything : IShape<double>, IEnumerable<int>, IComparable<Everything>
        {
            public const int Const = 1;
            public static readonly string[,] Grid = new string[1, 1];
            public int[][] Jagged = [];
            public int* Pointer;
            private event EventHandler? _changed;
            event EventHandler IShape<double>.Changed { add => _changed += value; remove => _changed -= value; }
            public event Action? Plain;
            public Everything() { }
            public Everything(ref int a, out string b, in long c, params object[] rest) { b = ""; }
            static Everything() { }
            ~Everything() { }
            double IShape<double>.Area() => 1;
            int IShape<double>.Sides => 4;
            public IEnumerator<int> GetEnumerator() { yield return 1; }
            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
            public int CompareTo(Everything? other) => 0;
            public static Everything operator +(Everything a, Everything b) => a;
            public static implicit operator int(Everything e) => 0;
            public static explicit operator Everything(int i) => new();
            public T Generic<T, U>(T t, U u, List<T> list, Func<U, T> f) where T : struct => t;
            public void Nullables(int? a, string? b, (int, string) tuple, ReadOnlySpan<char> span) { }
            public ref int RefReturn(ref int x) => ref x;
            public void Pointers(int* p, void** q) { }
            public int Property { get; set; }
            public static string Static { get; } = "";
            public int this[string key] { get => 0; set { } }
            public sealed record Nested(int X, string Y);
        }

        public static class Extensions
        {
            public static int Twice(this int x) => x * 2;
            public static T First<T>(this IEnumerable<T> items, Func<T, bool> predicate) => default!;
        }
        """;

    [Fact]
    public void Every_definition_of_a_compiled_program_has_the_id_roslyn_gives_it()
    {
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Shapes",
            [CSharpSyntaxTree.ParseText(Sample, new CSharpParseOptions(LanguageVersion.Latest))],
            Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        Assert.True(compilation.Emit(image).Success);
        image.Position = 0;

        // Roslyn's ids for the program's own symbols, each read back from metadata by its token.
        var reader = CSharpCompilation.Create("Reader", references: compilation.References.Append(MetadataReference.CreateFromImage(image.ToArray())),
            options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, metadataImportOptions: MetadataImportOptions.All));
        var assembly = (IAssemblySymbol)reader.GetAssemblyOrModuleSymbol(reader.References.Last())!;
        var roslyn = new Dictionary<int, string>();
        Collect(assembly.GlobalNamespace, roslyn);

        using ModuleDefinition module = ModuleDefinition.ReadModule(image);
        int compared = 0;
        foreach (TypeDefinition type in module.GetTypes().Where(t => t.Name != "<Module>"))
        {
            IEnumerable<IMemberDefinition> members = [type, .. type.Methods, .. type.Fields, .. type.Properties, .. type.Events];
            foreach (IMemberDefinition member in members)
            {
                if (roslyn.TryGetValue(((IMetadataTokenProvider)member).MetadataToken.ToInt32(), out string? expected))
                {
                    Assert.Equal(expected, DocumentationIds.Of((MemberReference)member));
                    compared++;
                }
            }
        }

        Assert.True(compared > 80, $"only {compared} members compared");
    }

    [Fact]
    public void Every_member_the_program_references_is_found_by_its_id()
    {
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Uses",
            [CSharpSyntaxTree.ParseText("""
                using System;
                using System.Collections.Generic;
                using System.Linq;
                public static class Uses
                {
                    public static int Run(List<int> xs, Dictionary<string, List<int>> d, int[,] grid)
                    {
                        xs.Add(1);
                        d.TryGetValue("a", out var list);
                        var n = xs.Select(x => x * 2).Where(x => x > 1).ToList().Count + grid[0, 0];
                        Array.Sort(new[] { 3, 1 });
                        return n + Math.Max(1, 2) + string.Join(",", xs).Length + Environment.NewLine.Length + (list?.Count ?? 0);
                    }
                }
                """, new CSharpParseOptions(LanguageVersion.Latest))],
            Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        Assert.True(compilation.Emit(image).Success);
        image.Position = 0;

        using ModuleDefinition module = ModuleDefinition.ReadModule(image);
        // Less the runtime's own methods of multi-dimensional arrays (int[,]::Get), which no assembly declares.
        var references = module.GetMemberReferences().Where(r => r.DeclaringType is not ArrayType).ToList();
        Assert.NotEmpty(references);
        foreach (MemberReference reference in references)
        {
            MemberReference definition = reference is GenericInstanceMethod instance ? instance.ElementMethod : reference;
            string? id = DocumentationIds.Of(definition);
            Assert.NotNull(id);
            ISymbol? symbol = DocumentationCommentId.GetFirstSymbolForDeclarationId(id, compilation);
            Assert.True(symbol is not null, $"no symbol for {id} ({reference.FullName})");
        }
    }

    private static void Collect(INamespaceOrTypeSymbol container, Dictionary<int, string> ids)
    {
        foreach (ISymbol member in container.GetMembers())
        {
            if (member is INamespaceOrTypeSymbol nested)
            {
                Collect(nested, ids);
            }

            if (member is not INamespaceSymbol && member.GetDocumentationCommentId() is { } id)
            {
                ids[member.MetadataToken] = id;
            }
        }
    }
}
