using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Holes.Rules;

/// <summary>
/// Decides, symbol by symbol, whether fill code may use something. Framework APIs are allowed only when on the
/// allowlist (deny by default). The program's own types are data or authority: data may be created and used freely,
/// authority (a <c>[Capability]</c> type, or one Holes' effect analysis proved reaches an effect) only through a
/// reference the fill was handed. Static members of the program are denied unless constant, readonly and immutable,
/// proven effect-free, <c>[Pure]</c>, or granted by the policy.
/// </summary>
/// <remarks>
/// Written against Roslyn symbols only, so the same rules can back the compile-time analyzers.
/// Verdicts for type definitions and program members are cached per policy because the same few hundred symbols
/// recur in every fill (metadata symbols are shared by every fill's compilation).
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
        "FlagsAttribute", "TypeCode", "Buffer",
    ];

    // In-memory text and streams of System.IO (and compression over them): pure. The rest of System.IO reaches files.
    private static readonly HashSet<string> s_allowedIoTypes =
    [
        "StringReader", "StringWriter", "MemoryStream", "BinaryReader", "BinaryWriter", "TextReader", "TextWriter", "Stream",
        "StreamReader", "StreamWriter", "SeekOrigin", "BufferedStream", "Path", "InvalidDataException", "EndOfStreamException",
        "GZipStream", "DeflateStream", "ZLibStream", "BrotliStream", "CompressionLevel", "CompressionMode",
    ];

    // Members of System.IO.Path that are string helpers; the others read the file system or the current directory.
    private static readonly HashSet<string> s_pathStringMembers =
    [
        "Combine", "Join", "GetFileName", "GetFileNameWithoutExtension", "GetExtension", "GetDirectoryName", "ChangeExtension",
        "HasExtension", "IsPathRooted", "GetPathRoot", "GetInvalidFileNameChars", "GetInvalidPathChars", "DirectorySeparatorChar",
        "AltDirectorySeparatorChar", "PathSeparator", "VolumeSeparatorChar", "TrimEndingDirectorySeparator", "EndsInDirectorySeparator",
        "IsPathFullyQualified", "GetRandomFileName",
    ];

    // Parsing and formatting of addresses and text in System.Net: no connection is made.
    private static readonly HashSet<string> s_allowedNetTypes =
    [
        "WebUtility", "IPAddress", "IPEndPoint", "IPNetwork", "HttpStatusCode", "MediaTypeNames", "ContentType", "ContentDisposition",
    ];

    // Namespaces and types of System.Net that do reach the network.
    private static readonly string[] s_networkNamespaces =
    [
        "System.Net.Sockets", "System.Net.Http", "System.Net.WebSockets", "System.Net.Quic", "System.Net.Mail", "System.Net.NetworkInformation",
        "System.Net.Security", "System.Net.ServerSentEvents",
    ];

    private static readonly HashSet<string> s_networkTypes =
    [
        "Dns", "WebClient", "WebRequest", "HttpWebRequest", "FtpWebRequest", "FileWebRequest", "WebResponse", "HttpWebResponse",
        "FtpWebResponse", "HttpListener", "HttpListenerContext", "HttpListenerRequest", "HttpListenerResponse", "ServicePoint",
        "ServicePointManager", "WebProxy", "IWebProxy", "GlobalProxySelection", "NetworkCredential", "CredentialCache", "ICredentials",
        "EndPoint", "DnsEndPoint", "SocketAddress", "UnixDomainSocketEndPoint", "HttpVersion", "CookieContainer", "WebHeaderCollection",
    ];

    // Hashing (and random numbers) in System.Security.Cryptography: pure functions of their input.
    private static readonly HashSet<string> s_allowedCryptoTypes =
    [
        "SHA1", "SHA256", "SHA384", "SHA512", "SHA3_256", "SHA3_384", "SHA3_512", "MD5", "HMAC", "HMACSHA1", "HMACSHA256", "HMACSHA384",
        "HMACSHA512", "HMACSHA3_256", "HMACSHA3_384", "HMACSHA3_512", "HMACMD5", "HashAlgorithm", "KeyedHashAlgorithm", "IncrementalHash",
        "HashAlgorithmName", "CryptographicOperations", "RandomNumberGenerator", "Shake128", "Shake256",
    ];

    // Primitives of System.Threading whose point is to block a thread until something happens.
    private static readonly HashSet<string> s_blockingThreadingTypes =
    [
        "SemaphoreSlim", "Semaphore", "ManualResetEvent", "ManualResetEventSlim", "AutoResetEvent", "EventWaitHandle", "CountdownEvent",
        "Barrier", "SpinWait", "SpinLock", "Monitor", "Mutex", "ReaderWriterLock", "ReaderWriterLockSlim", "WaitHandle",
    ];

    // The awaitables a fill may await, but whose awaiter it may not take explicitly (GetAwaiter().GetResult() blocks).
    private static readonly HashSet<string> s_awaitableTypes =
    [
        "Task", "Task`1", "ValueTask", "ValueTask`1", "ConfiguredTaskAwaitable", "ConfiguredTaskAwaitable`1", "ConfiguredValueTaskAwaitable",
        "ConfiguredValueTaskAwaitable`1", "YieldAwaitable",
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

    // The members of Classified<T> a fill may use; everything else (Reveal) would hand out the content.
    private static readonly HashSet<string> s_classifiedMembers = [".ctor", "Map", "FlatMap", "MapAsync", "ToString"];

    private readonly RulePolicy _policy;
    private readonly TypeImmutability _immutability;
    private readonly ConcurrentDictionary<INamedTypeSymbol, Denial?> _typeVerdicts = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, Denial?> _programVerdicts = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, Denial?> _pureVerdicts = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, string> _authority = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, string> _implicitEffects = new(SymbolEqualityComparer.Default);

    private CapabilityRules(RulePolicy policy, TypeImmutability immutability)
    {
        _policy = policy;
        _immutability = immutability;
    }

    /// <summary>The rules for <paramref name="policy"/>, judging immutability from symbols alone.</summary>
    public static CapabilityRules For(RulePolicy policy) => For(policy, TypeImmutability.FromSymbols);

    /// <summary>The rules for <paramref name="policy"/>; the runtime passes a judge of immutability that can see the loaded types.</summary>
    public static CapabilityRules For(RulePolicy policy, TypeImmutability immutability)
    {
        var rules = s_byPolicy.GetValue(policy, p => new CapabilityRules(p, immutability));
        return rules._immutability == immutability ? rules : new CapabilityRules(policy, immutability);
    }

    public RulePolicy Policy => _policy;

    public TypeImmutability Immutability => _immutability;

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
                return CheckType(symbol.ContainingType) ?? CheckMember(symbol) ?? CheckProgramMember(symbol);
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

        return CheckMember(method) ?? CheckProgramMember(method);
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

        if (CheckHardenedMember(member, type, ns, name, display) is { } hardened)
        {
            return hardened;
        }

        if (ns == "System.Threading.Tasks" && type.Name == "Task" && name is "Run" or "Factory" or "Start" or "RunSynchronously")
        {
            return new Denial(HoleDiagnosticIds.Threads,
                $"'{display}' starts work on another thread, which fills may not do. Use await, and Task.WhenAll over the tasks you already have (for example nested agent<T> calls).");
        }

        if (ns == "Holes" && type.MetadataName == "Classified`1" && !s_classifiedMembers.Contains(name))
        {
            return new Denial(HoleDiagnosticIds.ClassifiedRevealed,
                $"'{display}' would hand out the classified content, which fill code may never do (only the code of a [TrustedSink] member may). " +
                "Transform the value with Map, FlatMap or MapAsync (the result stays classified), or pass the Classified<T> itself to a trusted sink.");
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

    /// <summary>
    /// The member-by-member decisions of issue 6: process-wide registrations and shared pools, blocking waits, work that
    /// outlives the fill, host paths in stack traces, and the members of otherwise pure types that reach files or the
    /// process (Environment, Path, StreamReader/StreamWriter by path, hash algorithms created by name).
    /// </summary>
    private static Denial? CheckHardenedMember(ISymbol member, INamedTypeSymbol type, string ns, string name, string display)
    {
        var typeName = type.MetadataName;
        switch (ns)
        {
            case "System" when typeName == "Environment" && name != "NewLine":
                return new Denial(HoleDiagnosticIds.ProcessState,
                    $"'{display}' reads or changes the state of the whole process (its environment variables, command line, machine or exit), which fills may not do. " +
                    "Of Environment, only NewLine is allowed; the program must hand in what the hole needs.");
            case "System" when typeName == "Console" && name is "SetOut" or "SetError" or "SetIn" or "CancelKeyPress" or "TreatControlCAsInput" or "Title" or "InputEncoding" or "OutputEncoding":
                return new Denial(HoleDiagnosticIds.ProcessState,
                    $"'{display}' changes the console of the whole process (its writers, encodings, Ctrl+C handling or title), which fills may not do even where " +
                    "the console is granted. Write with Console.Write/WriteLine, or return the text.");
            case "System" when typeName == "Console" && name is "Read" or "ReadLine" or "ReadKey" or "OpenStandardInput" or "In" or "KeyAvailable":
                return BlockingWait(display, "waits for the process's input, which may never come");
            case "System.Text" when typeName == "Encoding" && name == "RegisterProvider":
                return new Denial(HoleDiagnosticIds.ProcessState,
                    $"'{display}' registers encodings for the whole process, which fills may not do. Use the encodings that are already available (Encoding.UTF8, Encoding.Latin1...).");
            case "System.Buffers" when typeName is "ArrayPool`1" or "MemoryPool`1" && name == "Shared":
                return new Denial(HoleDiagnosticIds.ProcessState,
                    $"'{display}' is a pool shared by the whole process: a buffer the fill returns (or keeps after returning) is handed to other code later, with its contents. " +
                    "Allocate an array (new T[n]), or a pool of the fill's own (ArrayPool<T>.Create()).");
            case "System.Threading.Tasks" when typeName is "Task" or "Task`1" && name is "Wait" or "WaitAll" or "WaitAny":
                return BlockingWait(display, "blocks a thread until the task finishes");
            case "System.Threading.Tasks" or "System.Runtime.CompilerServices" when s_awaitableTypes.Contains(typeName) && name == "GetAwaiter":
                return BlockingWait(display, "takes the awaiter to wait on it (GetAwaiter().GetResult() blocks a thread)");
            case "System.Threading.Tasks" when typeName is "Task" or "Task`1" && name == "ContinueWith":
                return DetachedWork(display, "schedules a continuation that runs whenever the task finishes, even after the fill has returned",
                    "Await the task, then run the rest of the code.");
            case "System.Threading" when typeName == "CancellationTokenSource" && name == "CancelAfter":
                return DetachedWork(display, "starts a timer that fires after the fill may have returned", "Use await Task.Delay(...) or the hole's own timeout.");
            case "System.Threading" when typeName == "CancellationToken" && name is "Register" or "UnsafeRegister":
                return DetachedWork(display, "registers a callback that can run after the fill has returned", "Check token.IsCancellationRequested, or pass the token to what you await.");
            case "System.IO" when typeName == "Path" && !s_pathStringMembers.Contains(name):
                return new Denial(HoleDiagnosticIds.FileSystem,
                    $"'{display}' reads the file system or the process's current directory, which fills may not do. Path's string helpers (Combine, GetFileName, " +
                    "GetExtension, GetDirectoryName, ChangeExtension...) are allowed.");
            case "System.IO" when typeName is "StreamReader" or "StreamWriter" && member is IMethodSymbol { MethodKind: MethodKind.Constructor } opened &&
                                  opened.Parameters.Length > 0 && opened.Parameters[0].Type.SpecialType == SpecialType.System_String:
                return new Denial(HoleDiagnosticIds.FileSystem,
                    $"'{display}' opens a file by its path, which fills may not do. Read and write text in memory (new StreamReader(stream), StringReader, StringWriter); " +
                    "for files, the program hands in their contents or a file-system capability.");
            case "System.Xml.Linq" when name is "Load" or "Save" or "LoadAsync" or "SaveAsync" && member is IMethodSymbol { Parameters.Length: > 0 } io &&
                                     io.Parameters[0].Type.SpecialType == SpecialType.System_String:
                return new Denial(HoleDiagnosticIds.FileSystem,
                    $"'{display}' reads or writes XML by file path or URI, which fills may not do. Parse text in memory (XDocument.Parse, XElement.Parse) " +
                    "and write to a StringWriter; for files, the program hands in their contents or a file-system capability.");
            case "System.Security.Cryptography" when name == "Create" && member is IMethodSymbol { Parameters.Length: > 0 } create && create.Parameters[0].Type.SpecialType == SpecialType.System_String:
                return new Denial(HoleDiagnosticIds.Reflection,
                    $"'{display}' creates an algorithm by name through the runtime's configuration, which fills may not do. Use the algorithm's type (SHA256.HashData, SHA256.Create()).");
        }

        if (name is "StackTrace" or "ToString" && member is not IMethodSymbol { Parameters.Length: > 0 } && IsException(type))
        {
            return new Denial(HoleDiagnosticIds.HostStackTrace,
                $"'{display}' includes the exception's stack trace, which names the host program's source files and paths. Use the exception's Message (and its type).");
        }

        return null;
    }

    private static Denial BlockingWait(string display, string why) => new(HoleDiagnosticIds.BlockingWait,
        $"'{display}' {why}, which fills may not do: a blocked thread cannot be stopped by the hole's budget. Await instead (await task, await Task.WhenAll(...), await Task.Delay(...)).");

    private static Denial DetachedWork(string display, string why, string instead) => new(HoleDiagnosticIds.DetachedWork,
        $"'{display}' {why}; nothing a fill starts may outlive it. {instead}");

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
            // In-memory text and streams are pure (their members that take a path are denied one by one).
            return (ns == "System.IO" || ns == "System.IO.Compression") && s_allowedIoTypes.Contains(name)
                ? null
                : new Denial(HoleDiagnosticIds.FileSystem,
                    $"'{display}' reaches the file system (System.IO), which fills may not touch. In-memory text and streams (StringReader, StringWriter, " +
                    "MemoryStream, BinaryReader/BinaryWriter over them) are allowed; for files, the program hands in their contents or a file-system capability.");
        }

        if (InNamespace(ns, "System.Net"))
        {
            // Parsing and formatting; and enums of System.Net (AddressFamily, HttpStatusCode...), which are plain values.
            if ((ns == "System.Net" || ns == "System.Net.Mime") && s_allowedNetTypes.Contains(name) || type.TypeKind == TypeKind.Enum)
            {
                return null;
            }

            return s_networkNamespaces.Any(n => InNamespace(ns, n)) || ns == "System.Net" && s_networkTypes.Contains(name)
                ? new Denial(HoleDiagnosticIds.Network,
                    $"'{display}' reaches the network, which fills may not do. The program hands in what the hole needs, or a network capability with a host allowlist.")
                : new Denial(HoleDiagnosticIds.NotAllowed,
                    $"'{display}' is not on the allowlist of pure APIs fills may use; of System.Net, only parsing and formatting (WebUtility, IPAddress, IPEndPoint, " +
                    "IPNetwork, HttpStatusCode) is. Have the program grant it with CapabilityPolicy.AllowedTypes if fills really need it.");
        }

        if (ns == "System.Diagnostics" && name.StartsWith("Process", StringComparison.Ordinal))
        {
            return new Denial(HoleDiagnosticIds.Processes, $"'{display}' starts or inspects processes, which fills may not do.");
        }

        if (ns == "System.Threading" && s_blockingThreadingTypes.Contains(name))
        {
            return BlockingWait(display, "blocks a thread until something happens");
        }

        if (ns == "System.Collections.Concurrent" && name == "BlockingCollection")
        {
            return BlockingWait(display, "blocks a thread until an item arrives");
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

        if (ns == "System" && name == "Environment")
        {
            // Judged member by member: Environment.NewLine is a constant of the platform; the rest is process state.
            return null;
        }

        if (ns == "System" && name is "AppDomain" or "AppContext" or "GC")
        {
            return new Denial(HoleDiagnosticIds.ProcessState,
                $"'{display}' reads or changes the state of the whole process (its settings, switches, loaded code or memory manager), which fills may not do. The program must hand in what the hole needs.");
        }

        if (InNamespace(ns, "System.Runtime"))
        {
            return new Denial(HoleDiagnosticIds.ProcessState,
                $"'{display}' is a runtime service (System.Runtime: loading, interop, serialization, memory and GC settings), which fills may not use.");
        }

        if (ns == "System.Security.Cryptography")
        {
            return s_allowedCryptoTypes.Contains(name)
                ? null
                : new Denial(HoleDiagnosticIds.ProcessState,
                    $"'{display}' is cryptography with keys, certificates or the system's key stores, which fills may not use. Hashing (SHA256.HashData, " +
                    "HMACSHA256.HashData, IncrementalHash) and RandomNumberGenerator are allowed.");
        }

        if (InNamespace(ns, "System.Security"))
        {
            return new Denial(HoleDiagnosticIds.ProcessState,
                $"'{display}' reads or changes the identity, permissions or security state of the process (System.Security), which fills may not do.");
        }

        if (ns == "System" && name == "Console")
        {
            return _policy.AllowConsole
                ? null
                : new Denial(HoleDiagnosticIds.Console,
                    $"'{display}' is not granted to this hole. Return the value instead of printing it, or grant it with CapabilityPolicy.AllowConsole.");
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

        if (ns == "System.Xml.Linq")
        {
            // LINQ to XML over text in memory; Load and Save by path or URI are denied member by member.
            return null;
        }

        return new Denial(HoleDiagnosticIds.NotAllowed,
            $"'{display}' is not on the allowlist of pure APIs fills may use (LINQ, collections, strings, math, text, regex with a timeout, JSON, tuples, tasks). " +
            "Use an allowed API, or have the program grant it with CapabilityPolicy.AllowedTypes.");
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

        if (type.ContainingNamespace.ToDisplayString() == "Holes" && type.MetadataName == "Classified`1")
        {
            // Its members are judged one by one: Reveal is denied (HOLE042), Map and friends are checked for purity.
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

    /// <summary>
    /// Why a type is authority: <c>[Capability]</c> (on it, a base or an interface), or the effect path the effect analysis
    /// recorded for it. <see langword="null"/> for data, framework and Holes types (framework authority such as
    /// <c>HttpClient</c> is denied outright by the allowlist).
    /// </summary>
    public string? AuthorityReason(ITypeSymbol? type)
    {
        switch (type)
        {
            case ITypeParameterSymbol parameter:
                foreach (var constraint in parameter.ConstraintTypes)
                {
                    if (AuthorityReason(constraint) is { } reason)
                    {
                        return reason;
                    }
                }

                return null;
            case INamedTypeSymbol named:
                var reasonText = _authority.GetOrAdd(named.OriginalDefinition, ClassifyAuthority);
                return reasonText.Length == 0 ? null : reasonText;
            default:
                return null;
        }
    }

    /// <summary>The first authority type a type is built from: itself, an element type or a type argument.</summary>
    public ITypeSymbol? AuthorityIn(ITypeSymbol? type)
    {
        switch (type)
        {
            case null:
                return null;
            case IArrayTypeSymbol array:
                return AuthorityIn(array.ElementType);
            case INamedTypeSymbol named:
                if (AuthorityReason(named) is not null)
                {
                    return named;
                }

                foreach (var argument in named.TypeArguments)
                {
                    if (AuthorityIn(argument) is { } inner)
                    {
                        return inner;
                    }
                }

                if (named.IsAnonymousType)
                {
                    // new { Hook = webhook } holds what its properties hold.
                    foreach (var property in named.GetMembers().OfType<IPropertySymbol>())
                    {
                        if (AuthorityIn(property.Type) is { } held)
                        {
                            return held;
                        }
                    }
                }

                return null;
            default:
                return AuthorityReason(type) is not null ? type : null;
        }
    }

    private string ClassifyAuthority(INamedTypeSymbol type)
    {
        // First: the capability library's own types (Holes.Capabilities) are authority like any other [Capability].
        if (CapabilityFacts.IsCapability(type))
        {
            return "it is marked [Capability]";
        }

        if (IsFramework(type) || type.ContainingAssembly?.Name == "Holes")
        {
            return "";
        }

        for (INamedTypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            if (EffectTable.Of(t.ContainingAssembly).EffectOf(t.OriginalDefinition) is { } path)
            {
                return "it reaches " + path;
            }
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (EffectTable.Of(implemented.ContainingAssembly).EffectOf(implemented.OriginalDefinition) is { } path)
            {
                return "it reaches " + path;
            }
        }

        return "";
    }

    /// <summary>
    /// The rules for the program's own members (types from assemblies that are neither the framework nor Holes):
    /// authority may not be constructed (HOLE030) and static members are denied unless harmless (HOLE031).
    /// </summary>
    private Denial? CheckProgramMember(ISymbol member) =>
        member.ContainingType is { } type && IsProgram(type) ? _programVerdicts.GetOrAdd(member, m => JudgeProgramMember(m, honourGrants: true)) : null;

    private Denial? JudgeProgramMember(ISymbol member, bool honourGrants)
    {
        var type = member.ContainingType!;
        var display = member.ToDisplayString(s_display);
        var typeDisplay = type.ToDisplayString(s_display);
        if (member is IMethodSymbol { MethodKind: MethodKind.Constructor })
        {
            return AuthorityReason(type) is { } why
                ? new Denial(HoleDiagnosticIds.AuthorityConstructed,
                    $"'{typeDisplay}' is authority ({why}), and fills may not create authority: they get it only by reference. " +
                    $"Use a {type.Name} the program handed to this hole or granted the session, or ask the program to hand one in.")
                : null;
        }

        if (!member.IsStatic || member is IFieldSymbol { IsConst: true } || type.TypeKind == TypeKind.Enum)
        {
            return null;
        }

        if (AuthorityReason(type) is { } authority)
        {
            return new Denial(HoleDiagnosticIds.HostStaticMember,
                $"'{display}' is a static member of authority type '{typeDisplay}' ({authority}). Fills reach authority only through a reference handed to them; use an instance the program handed to this hole.");
        }

        var valueType = member switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            IMethodSymbol method => method.ReturnType,
            _ => null,
        };
        if (AuthorityIn(valueType) is { } handedOut)
        {
            return new Denial(HoleDiagnosticIds.HostStaticMember,
                $"'{display}' hands out '{handedOut.ToDisplayString(s_display)}', which is authority ({AuthorityReason(handedOut)}); fills get authority only by reference. Ask the program to hand one to this hole.");
        }

        if (member is IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator or MethodKind.Conversion } op && CapabilityFacts.HasAttribute(op, "System.Runtime.CompilerServices.CompilerGeneratedAttribute"))
        {
            // A record's == and != compare values; they are written by the compiler, not by the program.
            return null;
        }

        var table = EffectTable.Of(type.ContainingAssembly);
        if (CapabilityFacts.IsDeclaredPure(member) || member is IMethodSymbol { AssociatedSymbol: { } owner } && CapabilityFacts.IsDeclaredPure(owner) ||
            honourGrants && IsGranted(type) ||
            member is IFieldSymbol { IsReadOnly: true } readOnlyField && _immutability.IsImmutable(readOnlyField.Type) ||
            member is IMethodSymbol or IPropertySymbol && table.IsEffectFree(member) ||
            member is IMethodSymbol { AssociatedSymbol: IPropertySymbol accessed } && table.IsEffectFree(accessed))
        {
            return null;
        }

        var reach = table.EffectOf(member) is { } path ? $", which reaches {path}" : "";
        var note = table.IsAnalyzed
            ? (reach.Length == 0 && member is IMethodSymbol or IPropertySymbol ? " Holes' effect analysis (the build step after the compile) did not prove it effect-free." : "")
            : $" ('{type.ContainingAssembly?.Name}' was built without Holes' effect analysis (the build step the Holes package adds after the compile), so none of its static members is known to be effect-free.)";
        return new Denial(HoleDiagnosticIds.HostStaticMember,
            $"'{display}' is a static member of the program{reach}. Static members are state shared by the whole program, so fills may use only " +
            "constants, static readonly fields of immutable types, and members marked [Pure] or proven effect-free by Holes' effect analysis." + note +
            " Compute the value in the fill, or have the program hand it to the hole.");
    }

    /// <summary>
    /// The stricter rules inside a pure transform (a lambda handed to <c>Classified&lt;T&gt;.Map</c> and friends, or
    /// a hole nested in one): no authority at all, no member with a recorded effect, and no policy grants (a grant
    /// such as <c>AllowConsole</c> is authority too). Returns the HOLE040 reason, or null.
    /// </summary>
    public Denial? CheckPure(ISymbol? symbol, string where)
    {
        switch (symbol)
        {
            case null or INamespaceSymbol or ILabelSymbol or IRangeVariableSymbol or IDiscardSymbol or IAliasSymbol:
                return null;
            case ITypeSymbol type:
                return CheckPureType(type, where);
            case ILocalSymbol local:
                return CheckPureType(local.Type, where);
            case IParameterSymbol parameter:
                return CheckPureType(parameter.Type, where);
            case IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction }:
                return null;
        }

        if (symbol.ContainingType is not { } containing)
        {
            return null;
        }

        if ((CheckPureType(containing, where) ?? (symbol is IMethodSymbol method ? CheckPureTypes(method.TypeArguments, where) : null)) is { } typeDenial)
        {
            return typeDenial;
        }

        // Cached without the subject, which differs by caller ("The transform handed to Map", "This pure hole").
        return _pureVerdicts.GetOrAdd(symbol, JudgePure) is { } denial ? new Denial(denial.Id, where + denial.Message) : null;
    }

    private Denial? CheckPureTypes(System.Collections.Immutable.ImmutableArray<ITypeSymbol> types, string where)
    {
        foreach (var type in types)
        {
            if (CheckPureType(type, where) is { } denial)
            {
                return denial;
            }
        }

        return null;
    }

    private Denial? CheckPureType(ITypeSymbol? type, string where)
    {
        if (AuthorityIn(type) is { } authority)
        {
            return new Denial(HoleDiagnosticIds.ImpureTransform,
                $"{where} uses '{authority.ToDisplayString(s_display)}', which is authority ({AuthorityReason(authority)}); a pure transform may use no capability. " +
                "Use the capability outside the transform, on data that is not classified.");
        }

        if (type is INamedTypeSymbol program && IsProgram(program) && ImplicitEffect(program) is { } implicitPath)
        {
            return new Denial(HoleDiagnosticIds.ImpureTransform,
                $"{where} uses '{program.ToDisplayString(s_display)}', whose ToString, Equals or GetHashCode reaches {implicitPath}; string formatting and collections call those " +
                "without naming them, so a pure transform may not use the type. Compute over plain data.");
        }

        if (type is INamedTypeSymbol named && ReliesOnGrant(named))
        {
            return new Denial(HoleDiagnosticIds.ImpureTransform,
                $"{where} uses '{named.ToDisplayString(s_display)}', which this session's policy grants; grants do not extend into a pure transform. Compute over the data only.");
        }

        return null;
    }

    /// <summary>The effect path of a program type's ToString, Equals or GetHashCode, which are called implicitly, or null.</summary>
    private string? ImplicitEffect(INamedTypeSymbol type)
    {
        var path = _implicitEffects.GetOrAdd(type.OriginalDefinition, static t =>
        {
            for (INamedTypeSymbol? current = t; current is not null && IsProgram(current); current = current.BaseType)
            {
                var table = EffectTable.Of(current.ContainingAssembly);
                foreach (var member in current.GetMembers())
                {
                    if (member is IMethodSymbol { IsOverride: true, Name: "ToString" or "Equals" or "GetHashCode" } method && table.EffectOf(method) is { } found)
                    {
                        return found;
                    }
                }
            }

            return "";
        });
        return path.Length == 0 ? null : path;
    }

    private Denial? JudgePure(ISymbol member)
    {
        var type = member.ContainingType!;
        if (!IsProgram(type))
        {
            return null;
        }

        if (EffectTable.Of(type.ContainingAssembly).EffectOf(member) is { } path)
        {
            return new Denial(HoleDiagnosticIds.ImpureTransform,
                $" calls '{member.ToDisplayString(s_display)}', which reaches {path}; a pure transform may have no effect. Compute over the data only.");
        }

        if (member.IsStatic && JudgeProgramMember(member, honourGrants: false) is not null && JudgeProgramMember(member, honourGrants: true) is null)
        {
            return new Denial(HoleDiagnosticIds.ImpureTransform,
                $" uses '{member.ToDisplayString(s_display)}', which only this session's policy grants; grants do not extend into a pure transform. Compute over the data only.");
        }

        return null;
    }

    /// <summary>Whether a type is usable only because the policy grants it (AllowedTypes, AllowedNamespaces, AllowConsole).</summary>
    private bool ReliesOnGrant(INamedTypeSymbol type)
    {
        var definition = type.OriginalDefinition;
        while (definition.ContainingType is { } outer)
        {
            definition = outer.OriginalDefinition;
        }

        if (IsGranted(definition))
        {
            return !IsProgram(definition) && For(RulePolicy.Default, _immutability).CheckDefinition(definition) is not null;
        }

        return _policy.AllowConsole && definition is { Name: "Console", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };
    }

    private bool IsGranted(INamedTypeSymbol type)
    {
        if (_policy.AllowedTypes.Count == 0 && _policy.AllowedNamespaces.Count == 0)
        {
            return false;
        }

        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
        return _policy.AllowedTypes.Contains(TypeImmutability.FullName(type.OriginalDefinition)) ||
               _policy.AllowedTypes.Contains(ns.Length == 0 ? type.MetadataName : ns + "." + type.MetadataName) ||
               _policy.AllowedNamespaces.Any(a => InNamespace(ns, a));
    }

    /// <summary>A type of the program or one of its libraries: neither the framework, nor Holes, nor the fill itself.</summary>
    public static bool IsProgram(INamedTypeSymbol type)
    {
        var assembly = type.ContainingAssembly?.Name ?? "";
        return assembly.Length > 0 && assembly != "Holes" && assembly != "Holes.Fill" && !IsFrameworkAssembly(assembly);
    }

    private static bool IsFramework(INamedTypeSymbol type) => IsFrameworkAssembly(type.ContainingAssembly?.Name ?? "");

    internal static bool IsFrameworkAssembly(string assembly) =>
        assembly is "mscorlib" or "netstandard" or "System" ||
        assembly.StartsWith("System.", StringComparison.Ordinal) ||
        assembly.StartsWith("Microsoft.", StringComparison.Ordinal);

    private static bool InNamespace(string ns, string root) =>
        ns == root || (ns.Length > root.Length && ns[root.Length] == '.' && ns.StartsWith(root, StringComparison.Ordinal));
}
