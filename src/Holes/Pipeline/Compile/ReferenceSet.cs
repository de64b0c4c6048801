using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Holes.Pipeline.Compile;

/// <summary>
/// The assemblies fills compile against (the host's: the trusted platform assemblies plus whatever else is loaded)
/// and a template compilation over them. Every fill is the template plus one syntax tree, so Roslyn reuses the
/// referenced assembly symbols across fills instead of re-reading metadata each time.
/// </summary>
internal sealed class ReferenceSet
{
    private static readonly Lazy<ReferenceSet> s_shared = new(() => new ReferenceSet(), LazyThreadSafetyMode.ExecutionAndPublication);

    private ReferenceSet()
    {
        var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string tpa)
        {
            foreach (var path in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                paths.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            }
        }

        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (!assembly.IsDynamic && !assembly.IsCollectible && !string.IsNullOrEmpty(assembly.Location))
            {
                paths.TryAdd(Path.GetFileNameWithoutExtension(assembly.Location), assembly.Location);
            }
        }

        var references = new List<MetadataReference>(paths.Count);
        foreach (var (name, path) in paths.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!IsManagedAssembly(path))
            {
                continue;
            }

            var docs = Path.ChangeExtension(path, ".xml");
            var provider = !IsFramework(name) && File.Exists(docs) ? new XmlDocumentationFile(docs) : null;
            references.Add(MetadataReference.CreateFromFile(path, documentation: provider));
        }

        var options = new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                // Debug: the JIT then never turns a fill's self-recursion into a tail call, so runaway recursion
                // reaches the stack check injected into every function instead of spinning forever; and
                // exception line numbers stay exact. Fills are glue code, so unoptimised IL costs little.
                optimizationLevel: OptimizationLevel.Debug,
                allowUnsafe: false,
                concurrentBuild: false,
                nullableContextOptions: NullableContextOptions.Annotations,
                deterministic: false)
            // Public: the host's internal types still bind, because Roslyn reads the internals of an assembly that
            // grants InternalsVisibleTo to the fill assembly (the generator adds that grant). Importing internals of
            // every framework assembly as well only made each fill's name lookups slower.
            .WithMetadataImportOptions(MetadataImportOptions.Public);

        _known = new HashSet<string>(paths.Keys, StringComparer.OrdinalIgnoreCase);
        _template = CSharpCompilation.Create(FillSource.AssemblyName, [], references, options);
        AppDomain.CurrentDomain.AssemblyLoad += (_, args) => OnAssemblyLoaded(args.LoadedAssembly);
    }

    private readonly HashSet<string> _known;
    private readonly List<MetadataReference> _pending = [];
    private CSharpCompilation _template;

    public static ReferenceSet Shared => s_shared.Value;

    /// <summary>
    /// A compilation with every reference and no source; add one fill tree to compile a fill. Assemblies the host
    /// loads later (plug-ins, lazily loaded libraries) are added on the next fill, so their types are usable too.
    /// </summary>
    public CSharpCompilation Template
    {
        get
        {
            lock (_pending)
            {
                if (_pending.Count > 0)
                {
                    _template = _template.AddReferences(_pending);
                    _pending.Clear();
                }

                return _template;
            }
        }
    }

    public int Count => _template.References.Count();

    private void OnAssemblyLoaded(Assembly assembly)
    {
        if (assembly.IsDynamic || assembly.IsCollectible || string.IsNullOrEmpty(assembly.Location))
        {
            return;
        }

        lock (_pending)
        {
            if (_known.Add(Path.GetFileNameWithoutExtension(assembly.Location)) && IsManagedAssembly(assembly.Location))
            {
                _pending.Add(MetadataReference.CreateFromFile(assembly.Location));
            }
        }
    }

    private static bool IsFramework(string name) =>
        name is "mscorlib" or "netstandard" || name.StartsWith("System", StringComparison.Ordinal) || name.StartsWith("Microsoft", StringComparison.Ordinal);

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }
}
