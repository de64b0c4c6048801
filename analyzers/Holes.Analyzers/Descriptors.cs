using Holes.Rules;
using Microsoft.CodeAnalysis;

namespace Holes.Analyzers;

/// <summary>
/// Every diagnostic the Holes analyzers report, in one place: id (from <see cref="HoleDiagnosticIds"/>), title,
/// message, severity and the link to its section of <c>docs/diagnostics.md</c>.
/// </summary>
internal static class Descriptors
{
    /// <summary>Where the docs live; each id has a section whose anchor is the lower-case id.</summary>
    public const string HelpBase = "https://github.com/holes-dev/holes/blob/main/docs/diagnostics.md#";

    /// <summary>The key of the diagnostic property that carries the name <see cref="TaskNamesUnhandedVariable"/>'s fix hands in.</summary>
    public const string NameProperty = "Name";

    private const string CallSites = "Holes.CallSites";
    private const string Capabilities = "Holes.Capabilities";
    private const string Classified = "Holes.Classified";
    private const string Build = "Holes.Build";

    public static readonly DiagnosticDescriptor UnusableResultType = Create(
        HoleDiagnosticIds.UnusableResultType,
        "No fill can produce this hole's result type",
        "This hole's result type '{0}' can never be filled: {1}",
        CallSites,
        DiagnosticSeverity.Error,
        "A fill is C# compiled in an assembly of its own and returns its value through a Task, so the hole's result type " +
        "must be a type that code outside the declaring type can name and that can be boxed: not private or protected, " +
        "not file-local, not a ref struct, a pointer or void.");

    public static readonly DiagnosticDescriptor UnnamedValue = Create(
        HoleDiagnosticIds.UnnamedValue,
        "A value handed to a hole has no name of its own",
        "The value '{0}' handed to this hole has no name of its own, so the fill sees it as '{1}' and the task cannot refer to it; assign it to a local with a meaningful name and hand in the local",
        CallSites,
        DiagnosticSeverity.Warning,
        "The fill sees each handed-in value under the name of its argument expression. Literals, operators, calls and " +
        "other expressions without a name of their own get a placeholder or the name of a method, which neither the " +
        "task text nor the model can relate to the value.");

    public static readonly DiagnosticDescriptor DuplicateValueName = Create(
        HoleDiagnosticIds.DuplicateValueName,
        "Two values handed to a hole share a name",
        "The values '{0}' and '{1}' handed to this hole are both named '{2}', so the fill sees them as '{3}' and '{4}' and the task cannot tell them apart; assign one of them to a local with a distinct name and hand in the local",
        CallSites,
        DiagnosticSeverity.Warning,
        "The fill sees each handed-in value under the name of its argument expression; when two expressions end in the " +
        "same name the second is renamed with a number, which the task text cannot refer to.");

    public static readonly DiagnosticDescriptor CapabilityOutsideBound = Create(
        HoleDiagnosticIds.CapabilityOutsideBound,
        "A capability outside the hole bound is handed to a hole",
        "'{0}' is a capability of type '{1}', outside the bound {2} on '{3}'; hand this hole only capabilities the bound lists, or add typeof({4}) to the bound",
        Capabilities,
        DiagnosticSeverity.Error,
        "[HoleBound] lists the capability types the holes inside a method or type may receive. Handing a hole any other " +
        "capability gives its fill authority the bound was written to withhold.");

    public static readonly DiagnosticDescriptor CapabilityUnderPureHoles = Create(
        HoleDiagnosticIds.CapabilityUnderPureHoles,
        "A capability is handed to a hole under [PureHoles]",
        "'{0}' is a capability of type '{1}', but '{2}' is marked [PureHoles], so its holes may receive no capability; hand in only data, or replace [PureHoles] with [HoleBound(typeof({3}))]",
        Capabilities,
        DiagnosticSeverity.Error,
        "[PureHoles] promises that the holes inside compute over data only; a capability handed to one of them gives its " +
        "fill authority to act on the world.");

    public static readonly DiagnosticDescriptor ClassifiedWithEgress = Create(
        HoleDiagnosticIds.ClassifiedWithEgress,
        "Classified data and an untrusted egress are handed to the same hole",
        "The classified value '{0}' and the capability '{1}', whose '{2}' is an egress that is not a [TrustedSink], are handed to the same hole, so its fill could send the classified data out; hand them to separate holes, or mark '{2}' [TrustedSink] if it may receive classified data",
        Classified,
        DiagnosticSeverity.Error,
        "Classified<T> values may leave the program only through a [TrustedSink]. A fill that holds both a classified " +
        "value and an egress that is not a trusted sink is one prompt injection away from leaking it.");

    public static readonly DiagnosticDescriptor CapabilityStored = Create(
        HoleDiagnosticIds.CapabilityStored,
        "A capability is stored where it outlives its scope",
        "'{0}' stores a capability of type '{1}' {2}; {3}",
        Capabilities,
        DiagnosticSeverity.Warning,
        "Authority is a reference: a capability should reach code only by being handed to it. A capability in static " +
        "state is ambient authority that any code can reach; one held by a data type travels wherever that data goes, " +
        "past every hole bound.");

    public static readonly DiagnosticDescriptor TaskNamesUnhandedVariable = Create(
        HoleDiagnosticIds.TaskNamesUnhandedVariable,
        "The task names a variable that is not handed to the hole",
        "The task names '{0}', which is in scope here but not handed to the hole, so the fill cannot see it; add '{0}' to the hole's values",
        CallSites,
        DiagnosticSeverity.Warning,
        "A fill sees only the values handed to its hole (and the session's variables); a local or parameter the task " +
        "talks about but the call does not hand in is out of its reach.");

    public static readonly DiagnosticDescriptor HoleInExpressionTree = Create(
        HoleDiagnosticIds.HoleInExpressionTree,
        "A hole inside an expression tree",
        "This hole is inside a lambda converted to the expression tree '{0}', where it is data for a query provider rather than a call Holes can intercept and fill; move the hole out of the lambda, or use a delegate type such as 'Func<...>'",
        CallSites,
        DiagnosticSeverity.Error,
        "A lambda converted to Expression<...> is not run: it is handed, as a tree, to whatever translates it (a " +
        "database query provider, a compiler). The generator cannot intercept a call inside it, and a provider cannot " +
        "translate a hole.");

    public static readonly DiagnosticDescriptor InterceptorsDisabled = Create(
        HoleDiagnosticIds.InterceptorsDisabled,
        "Holes is used without its interceptors enabled",
        "This project calls agent<T> but does not enable the Holes interceptors (InterceptorsNamespaces is {0}), so the build fails with CS9137; add <InterceptorsNamespaces>$(InterceptorsNamespaces);Holes.Generated</InterceptorsNamespaces> to a PropertyGroup of the project file",
        Build,
        DiagnosticSeverity.Error,
        "The Holes generator routes every agent<T> call through an interceptor in the Holes.Generated namespace, and " +
        "the compiler accepts interceptors only from namespaces the project lists in InterceptorsNamespaces. The " +
        "package's props add it; a project that sets the property itself must keep $(InterceptorsNamespaces) in it.");

    public static readonly DiagnosticDescriptor RevealOutsideTrustedSink = Create(
        HoleDiagnosticIds.RevealOutsideTrustedSink,
        "Classified<T>.Reveal() outside a trusted sink",
        "'{0}' calls Classified<{1}>.Reveal() but is not marked [TrustedSink], so the classified value leaves its protection here; move the call into a member marked [TrustedSink], or keep the value classified and transform it with Map",
        Classified,
        DiagnosticSeverity.Warning,
        "Reveal() is the one way out of Classified<T>, meant for the code of a trusted sink. Anywhere else it turns a " +
        "secret or an untrusted input back into plain data that can flow anywhere.");

    private static DiagnosticDescriptor Create(
        string id, string title, string message, string category, DiagnosticSeverity severity, string description)
        => new(
            id,
            title,
            message,
            category,
            severity,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: HelpBase + id.ToLowerInvariant());
}
