namespace Holes.Pipeline.Verify;

/// <summary>
/// Ids of the diagnostics Holes adds to the compiler's. <c>HOLE0xxx</c> are about the reply or the pipeline,
/// <c>HOLE1xxx</c> are capability denials; each denial names the symbol that caused it.
/// </summary>
internal static class HoleDiagnosticIds
{
    public const string NoCode = "HOLE0001";
    public const string MissingReturn = "HOLE0002";
    public const string FillThrew = "HOLE0004";
    public const string NestedHoleAtMaxDepth = "HOLE0005";

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
}
