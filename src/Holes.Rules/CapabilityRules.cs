using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Holes.Rules;

/// <summary>
/// Decides, symbol by symbol, whether fill code may use something. Framework APIs are allowed only when on the
/// allowlist (deny by default); the program's own types are allowed, except where the policy denies them.
/// </summary>
/// <remarks>
/// Written against Roslyn symbols only, so the same rules can back the compile-time analyzers.
/// Verdicts for type definitions are cached per policy because the same few hundred types recur in every fill.
/// </remarks>
internal sealed class CapabilityRules
{
    private static readonly ConditionalWeakTable<RulePolicy, CapabilityRules> s_byPolicy = new();

    private static readonly SymbolDisplayFormat s_display = SymbolDisplayFormat.CSharpErrorMessageFormat;

    // Namespaces whose every type is pure: no I/O, no global state, no ambient authority.
    private static readonly string[] s_allowedNamespaces =
    [
        "System.Collections", "System.Linq", "System.Text", "System.Globalization", "System.Numerics", "System.Buffers",
    ];

    private static readonly HashSet<string> s_allowedSystemTypes =
    [
        "Object", "String", "Boolean", "Char", "SByte", "Byte", "Int16", "UInt16", "Int32", "UInt32", "Int64", "UInt64",
        "Int128", "UInt128", "IntPtr", "UIntPtr", "Single", "Double", "Half", "Decimal", "Void", "ValueType", "Enum", "Array",
        "Nullable", "Math", "MathF", "Convert", "BitConverter", "DateTime", "DateTimeOffset", "DateTimeKind", "DayOfWeek",
        "DateOnly", "TimeOnly", "TimeSpan", "Guid", "Random", "Tuple", "ValueTuple", "TupleExtensions", "Lazy", "Func", "Action",
        "Predicate", "Comparison", "Converter", "EventHandler", "EventArgs", "Index", "Range", "Span", "ReadOnlySpan",
        "Memory", "ReadOnlyMemory", "ArraySegment", "MemoryExtensions", "StringComparison", "StringComparer",
        "StringSplitOptions", "MidpointRounding", "IComparable", "IEquatable", "IDisposable", "IAsyncDisposable",
        "IFormattable", "IFormatProvider", "ISpanFormattable", "IUtf8SpanFormattable", "IParsable", "ISpanParsable",
        "IConvertible", "ICloneable", "FormattableString", "Uri", "UriKind", "UriComponents", "UriFormat", "Version",
        "HashCode", "Base64FormattingOptions", "CharEnumerator", "IObservable", "IObserver", "IProgress",
        "StringNormalizationExtensions", "Exception", "MulticastDelegate", "Delegate", "Attribute", "ObsoleteAttribute",
        "FlagsAttribute", "TypeCode",
    ];

    private static readonly HashSet<string> s_allowedCompilerServicesTypes =
    [
        "TaskAwaiter", "ValueTaskAwaiter", "ConfiguredTaskAwaitable", "ConfiguredValueTaskAwaitable",
        "ConfiguredCancelableAsyncEnumerable", "YieldAwaitable", "DefaultInterpolatedStringHandler",
        "FormattableStringFactory", "ITuple", "TupleElementNamesAttribute", "IsExternalInit",
    ];

    private static readonly HashSet<string> s_allowedTaskTypes =
    [
        "Task", "ValueTask", "TaskStatus", "TaskCompletionSource", "TaskCanceledException", "TaskExtensions",
        "TaskAsyncEnumerableExtensions", "TaskContinuationOptions", "TaskCreationOptions", "ConfigureAwaitOptions",
    ];

    private static readonly HashSet<string> s_allowedThreadingTypes = ["CancellationToken", "CancellationTokenSource", "CancellationTokenRegistration"];

    private readonly RulePolicy _policy;
    private readonly ConcurrentDictionary<INamedTypeSymbol, Denial?> _typeVerdicts = new(SymbolEqualityComparer.Default);

    private CapabilityRules(RulePolicy policy) => _policy = policy;

    public static CapabilityRules For(RulePolicy policy) => s_byPolicy.GetValue(policy, p => new CapabilityRules(p));

    public RulePolicy Policy => _policy;

    /// <summary>Checks a type and everything it is built from (element types, type arguments, tuple elements).</summary>
    public Denial? CheckType(ITypeSymbol? type)
    {
        switch (type)
        {
            case null or IErrorTypeSymbol or ITypeParameterSymbol:
                return null;
            case IDynamicTypeSymbol:
                return new Denial(HoleDiagnosticIds.Dynamic, "'dynamic' is not allowed in fills: it defeats the type and capability checks. Use a static type.");
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return new Denial(HoleDiagnosticIds.UnsafeCode, $"Pointer type '{type.ToDisplayString(s_display)}' is not allowed in fills: unsafe code is denied.");
            case IArrayTypeSymbol array:
                return CheckType(array.ElementType);
            case INamedTypeSymbol named:
                if (named.IsAnonymousType)
                {
                    return null;
                }

                foreach (var argument in named.TypeArguments)
                {
                    if (CheckType(argument) is { } denial)
                    {
                        return denial;
                    }
                }

                return CheckDefinition(named.OriginalDefinition);
            default:
                return null;
        }
    }

    /// <summary>Checks a referenced symbol: its type or containing type, and member-level rules.</summary>
    public Denial? CheckSymbol(ISymbol? symbol)
    {
        switch (symbol)
        {
            case null or INamespaceSymbol or ILabelSymbol or IPreprocessingSymbol:
                return null;
            case IAliasSymbol alias:
                return CheckSymbol(alias.Target);
            case ITypeSymbol type:
                return CheckType(type);
            case ILocalSymbol local:
                return CheckType(local.Type);
            case IParameterSymbol parameter:
                return CheckType(parameter.Type);
            case IRangeVariableSymbol or IDiscardSymbol:
                return null;
            case IMethodSymbol method:
                return CheckMethod(method);
            case IFieldSymbol or IPropertySymbol or IEventSymbol:
                return CheckType(symbol.ContainingType) ?? CheckMember(symbol);
            default:
                return null;
        }
    }

    private Denial? CheckMethod(IMethodSymbol method)
    {
        method = method.ReducedFrom ?? method;
        if (method.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction)
        {
            return null;
        }

        foreach (var argument in method.TypeArguments)
        {
            if (CheckType(argument) is { } denial)
            {
                return denial;
            }
        }

        if (method.ContainingType is { } containing && CheckType(containing) is { } typeDenial)
        {
            return typeDenial;
        }

        return CheckMember(method);
    }

    private Denial? CheckMember(ISymbol member)
    {
        var type = member.ContainingType?.OriginalDefinition;
        if (type is null)
        {
            return null;
        }

        var ns = type.ContainingNamespace?.ToDisplayString() ?? "";
        var name = member.Name;
        var display = member.ToDisplayString(s_display);

        if (CheckHolesCapabilityMember(member, type, display) is { } capabilityDenial)
        {
            return capabilityDenial;
        }

        if (ns == "System" && type.Name == "Object" && name == "GetType")
        {
            return Reflection(display);
        }

        if (ns == "System" && type.Name is "Delegate" or "MulticastDelegate" &&
            name is "Method" or "Target" or "DynamicInvoke" or "CreateDelegate" or "GetMethodInfo")
        {
            return Reflection(display);
        }

        if (ns == "System" && type.Name == "Exception" && name == "TargetSite")
        {
            return Reflection(display);
        }

        if (ns == "System.Threading.Tasks" && type.Name == "Task" && name is "Run" or "Factory" or "Start" or "RunSynchronously")
        {
            return new Denial(HoleDiagnosticIds.Threads,
                $"'{display}' starts work on another thread, which fills may not do. Use await, and Task.WhenAll over the tasks you already have (for example nested agent<T> calls).");
        }

        if (ns == "System.Text.RegularExpressions" && type.Name == "Regex" && member is IMethodSymbol m &&
            (m.MethodKind == MethodKind.Constructor || m.IsStatic) && name is not ("Escape" or "Unescape") &&
            !m.Parameters.Any(p => p.Type is { Name: "TimeSpan", ContainingNamespace.Name: "System" }))
        {
            return new Denial(HoleDiagnosticIds.RegexWithoutTimeout,
                $"'{display}' has no match timeout; fills must bound regular expressions. Use the overload that takes a TimeSpan matchTimeout, e.g. new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1)).");
        }

        return null;
    }

    private Denial? CheckDefinition(INamedTypeSymbol definition)
    {
        // Nested types share the verdict of the outermost type (List<T>.Enumerator is as pure as List<T>).
        while (definition.ContainingType is { } outer)
        {
            definition = outer.OriginalDefinition;
        }

        return _typeVerdicts.GetOrAdd(definition, Classify);
    }

    private Denial? Classify(INamedTypeSymbol type)
    {
        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
        var metadataName = ns.Length == 0 ? type.MetadataName : ns + "." + type.MetadataName;
        var display = type.ToDisplayString(s_display);

        if (_policy.DeniedTypes.Contains(metadataName) || _policy.DeniedNamespaces.Any(d => InNamespace(ns, d)))
        {
            return new Denial(HoleDiagnosticIds.DeniedByPolicy,
                $"'{display}' is denied by this session's CapabilityPolicy. Work with the values handed to the hole instead.");
        }

        if (_policy.AllowedTypes.Contains(metadataName) || _policy.AllowedNamespaces.Any(a => InNamespace(ns, a)))
        {
            return null;
        }

        var assembly = type.ContainingAssembly?.Name ?? "";
        if (assembly == "Holes")
        {
            return ClassifyHoles(type, display);
        }

        if (!IsFrameworkAssembly(assembly))
        {
            // The program's own types (and its libraries) are part of the program: allowed, but see static writes.
            return null;
        }

        return ClassifyFramework(type, ns, display);
    }

    private Denial? ClassifyFramework(INamedTypeSymbol type, string ns, string display)
    {
        var name = type.Name;

        if (InNamespace(ns, "System.Reflection") || InNamespace(ns, "System.Runtime.Loader") ||
            (ns == "System" && name is "Type" or "Activator" or "RuntimeTypeHandle" or "RuntimeMethodHandle" or "RuntimeFieldHandle" or "TypedReference" or "ArgIterator"))
        {
            return Reflection(display);
        }

        if (InNamespace(ns, "System.Linq.Expressions") || (ns == "System.Linq" && name is "Queryable" or "IQueryable" or "IOrderedQueryable" or "IQueryProvider" or "EnumerableQuery"))
        {
            return new Denial(HoleDiagnosticIds.ExpressionTrees,
                $"'{display}' builds or compiles expression trees, which fills may not do. Use ordinary lambdas and LINQ to Objects.");
        }

        if (InNamespace(ns, "System.IO"))
        {
            return new Denial(HoleDiagnosticIds.FileSystem,
                $"'{display}' reaches the file system or streams (System.IO), which fills may not touch. Work with the values handed to the hole; the program can hand in file contents.");
        }

        if (InNamespace(ns, "System.Net"))
        {
            return new Denial(HoleDiagnosticIds.Network,
                $"'{display}' reaches the network (System.Net), which fills may not touch. The program must hand in what the hole needs.");
        }

        if (ns == "System.Diagnostics" && name.StartsWith("Process", StringComparison.Ordinal))
        {
            return new Denial(HoleDiagnosticIds.Processes, $"'{display}' starts or inspects processes, which fills may not do.");
        }

        if ((InNamespace(ns, "System.Threading") && !(ns == "System.Threading" && s_allowedThreadingTypes.Contains(name)) &&
             !(ns == "System.Threading.Tasks" && s_allowedTaskTypes.Contains(name))) ||
            InNamespace(ns, "System.Timers") || (ns == "System.Linq" && name is "ParallelEnumerable" or "ParallelQuery" or "OrderedParallelQuery"))
        {
            return new Denial(HoleDiagnosticIds.Threads,
                $"'{display}' uses threads, timers or locks, which fills may not do. Use await, and Task.WhenAll over nested agent<T> calls for parallel work.");
        }

        if (InNamespace(ns, "System.Runtime.InteropServices"))
        {
            return new Denial(HoleDiagnosticIds.NativeInterop, $"'{display}' is native interop (P/Invoke, marshalling), which fills may not use.");
        }

        if (ns == "System.Runtime.CompilerServices" && s_allowedCompilerServicesTypes.Contains(name))
        {
            return null;
        }

        if (ns == "System.Runtime.CompilerServices" && name == "Unsafe")
        {
            return new Denial(HoleDiagnosticIds.UnsafeCode, $"'{display}' is unsafe code, which fills may not use.");
        }

        if ((ns == "System" && name is "Environment" or "AppDomain" or "AppContext" or "GC") || InNamespace(ns, "System.Runtime") || InNamespace(ns, "System.Security"))
        {
            return new Denial(HoleDiagnosticIds.ProcessState,
                $"'{display}' reads or changes the state of the whole process, which fills may not do. The program must hand in what the hole needs.");
        }

        if (ns == "System" && name == "Console")
        {
            return _policy.AllowConsole
                ? null
                : new Denial(HoleDiagnosticIds.Console,
                    $"'{display}' is not granted to this hole. Return the value instead of printing it, or grant it with RulePolicy.AllowConsole.");
        }

        if (s_allowedNamespaces.Any(a => InNamespace(ns, a)))
        {
            return null;
        }

        if (ns == "System" && (s_allowedSystemTypes.Contains(name) || IsException(type) || type.TypeKind == TypeKind.Delegate && name.StartsWith("Func", StringComparison.Ordinal)))
        {
            return null;
        }

        if ((ns == "System.Threading" && s_allowedThreadingTypes.Contains(name)) || (ns == "System.Threading.Tasks" && s_allowedTaskTypes.Contains(name)))
        {
            return null;
        }

        if (IsException(type))
        {
            // Exceptions from anywhere may be caught and inspected.
            return null;
        }

        return new Denial(HoleDiagnosticIds.NotAllowed,
            $"'{display}' is not on the allowlist of pure APIs fills may use (LINQ, collections, strings, math, text, regex with a timeout, JSON, tuples, tasks). " +
            "Use an allowed API, or have the program grant it with RulePolicy.AllowedTypes.");
    }

    private static Denial? ClassifyHoles(INamedTypeSymbol type, string display)
    {
        // The capability library (Holes.Capabilities): a [Capability] type is usable through a reference the fill was
        // handed (CheckHolesCapabilityMember refuses construction, static members and members off the interface), and
        // the public records those capabilities exchange (FileEntry, NetworkResponse, ProcessResult...) are plain data.
        if (CapabilityFacts.IsCapability(type) ||
            (type.IsRecord && type.DeclaredAccessibility == Accessibility.Public && type.ContainingNamespace.ToDisplayString() == "Holes.Capabilities"))
        {
            return null;
        }

        if (type.Name == "Agents" || IsException(type) || type.Name is "HoleAttempt" or "HoleDiagnostic" or "HoleDiagnosticSeverity")
        {
            return null;
        }

        if (type.ContainingNamespace.ToDisplayString() == "Holes.Runtime" && type.Name == "NestedHoleCaller")
        {
            return null;
        }

        return new Denial(HoleDiagnosticIds.EngineInternals,
            $"'{display}' is part of the Holes engine, which fills may not reach. Call agent<T>(task, values...) to delegate work to another hole.");
    }

    /// <summary>
    /// A capability of the Holes assembly is used only through its <c>[Capability]</c> interface, on an object the fill
    /// was handed: never constructed (its constructors and static factories are denied), and never through members
    /// the interface lacks (<c>Dispose</c>, for one), since capabilities cross into an isolated worker as proxies of
    /// that interface.
    /// </summary>
    private static Denial? CheckHolesCapabilityMember(ISymbol member, INamedTypeSymbol type, string display)
    {
        if (type.ContainingAssembly?.Name != "Holes" || !CapabilityFacts.IsCapability(type))
        {
            return null;
        }

        if (member.IsStatic || member is IMethodSymbol { MethodKind: MethodKind.Constructor })
        {
            return new Denial(HoleDiagnosticIds.AuthorityConstructed,
                $"'{display}' would create a capability; fills never create capabilities. Use the one handed to the hole, or give up saying which capability is missing.");
        }

        if (type.TypeKind == TypeKind.Interface)
        {
            return null;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (!CapabilityFacts.IsCapability(implemented))
            {
                continue;
            }

            foreach (var candidate in implemented.GetMembers())
            {
                if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(candidate), member.OriginalDefinition))
                {
                    return null;
                }
            }
        }

        return new Denial(HoleDiagnosticIds.EngineInternals,
            $"'{display}' is not a member of the capability's interface; fills use a capability only through the members its interface lists.");
    }

    private static Denial Reflection(string display) => new(HoleDiagnosticIds.Reflection,
        $"'{display}' is reflection or a System.Type value, which fills may not use. Use the static types you are given.");

    private static bool IsException(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t is { Name: "Exception", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
            {
                return true;
            }
        }

        return false;
    }

    internal static bool IsFrameworkAssembly(string assembly) =>
        assembly is "mscorlib" or "netstandard" or "System" ||
        assembly.StartsWith("System.", StringComparison.Ordinal) ||
        assembly.StartsWith("Microsoft.", StringComparison.Ordinal);

    private static bool InNamespace(string ns, string root) =>
        ns == root || (ns.Length > root.Length && ns[root.Length] == '.' && ns.StartsWith(root, StringComparison.Ordinal));
}
