namespace Holes.Rules;

/// <summary>
/// Ids of the diagnostics Holes adds to the compiler's. <c>HOLE0xxx</c> are about the reply or the pipeline,
/// <c>HOLE0xx</c> (three digits) are the capability-bound rules shared by the analyzers and the runtime verifier,
/// <c>HOLE1xxx</c> are framework API denials; each names the symbol, value or effect path that caused it.
/// Every id has a section in <c>docs/diagnostics.md</c>.
/// </summary>
internal static class HoleDiagnosticIds
{
    public const string NoCode = "HOLE0001";
    public const string MissingReturn = "HOLE0002";
    public const string FillThrew = "HOLE0004";
    public const string NestedHoleAtMaxDepth = "HOLE0005";
    public const string TooComplex = "HOLE0006";

    public const string Reflection = "HOLE1001";
    public const string Dynamic = "HOLE1002";
    public const string UnsafeCode = "HOLE1003";
    public const string NativeInterop = "HOLE1004";
    public const string ExpressionTrees = "HOLE1005";
    public const string FileSystem = "HOLE1006";
    public const string Network = "HOLE1007";
    public const string Processes = "HOLE1008";
    public const string Threads = "HOLE1009";
    public const string ProcessState = "HOLE1010";
    public const string Console = "HOLE1011";
    public const string StaticWrite = "HOLE1012";
    public const string NotAllowed = "HOLE1013";
    public const string EngineInternals = "HOLE1014";
    public const string RegexWithoutTimeout = "HOLE1015";
    public const string DeniedByPolicy = "HOLE1016";
    public const string BlockingWait = "HOLE1017";
    public const string DetachedWork = "HOLE1018";
    public const string HostStackTrace = "HOLE1019";

    // Call sites and hole bounds (analyzers; the runtime checks the same rules on nested holes).
    public const string UnusableResultType = "HOLE010";
    public const string UnnamedValue = "HOLE011";
    public const string DuplicateValueName = "HOLE012";
    public const string CapabilityOutsideBound = "HOLE013";
    public const string CapabilityUnderPureHoles = "HOLE014";
    public const string ClassifiedWithEgress = "HOLE015";
    public const string CapabilityStored = "HOLE016";
    public const string TaskNamesUnhandedVariable = "HOLE017";
    public const string HoleInExpressionTree = "HOLE018";
    public const string InterceptorsDisabled = "HOLE019";
    public const string RevealOutsideTrustedSink = "HOLE020";

    // Authority by reference (runtime verifier on fills; the generator's effect analysis names the paths).
    public const string AuthorityConstructed = "HOLE030";
    public const string HostStaticMember = "HOLE031";
    public const string StaticStateWrite = "HOLE032";
    public const string CapabilityEscapes = "HOLE033";
    public const string ResultTypeMismatch = "HOLE034";

    // Classified data.
    public const string ImpureTransform = "HOLE040";
    public const string ClassifiedToEgress = "HOLE041";
    public const string ClassifiedRevealed = "HOLE042";
    public const string ClassifiedInTask = "HOLE043";
}
