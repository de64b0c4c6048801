namespace Holes.Generators;

/// <summary>Names shared by the parser and the emitter, kept in one place so they cannot drift apart.</summary>
internal static class KnownNames
{
    public const string HolesAssembly = "Holes";
    public const string AgentsType = "Holes.Agents";
    public const string AgentMethod = "agent";
    public const string SessionType = "Holes.AgentSession";
    public const string ExecuteMethod = "ExecuteAsync";
    public const string ValuesParameter = "values";
    public const string CancellationTokenType = "System.Threading.CancellationToken";
    public const string HoleModelAttribute = "Holes.HoleModelAttribute";

    /// <summary>The assembly name every fill is compiled under; the host grants it access to its internals.</summary>
    public const string FillAssembly = "Holes.Fill";

    public const string InterceptorsNamespace = "Holes.Generated";
    public const string InterceptorsHintName = "Holes.Interceptors.g.cs";
    public const string InternalsVisibleToHintName = "Holes.InternalsVisibleTo.g.cs";
    public const string DeclaredPureHintName = "Holes.DeclaredPure.g.cs";
}

/// <summary>Step names, so tests can check that an unrelated edit leaves the pipeline cached.</summary>
internal static class TrackingNames
{
    public const string Sites = "HoleSites";
    public const string GlobalUsings = "GlobalUsings";
    public const string Compilation = "CompilationSpec";
    public const string DeclaredPure = "DeclaredPure";
}
