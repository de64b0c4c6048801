using Holes.Rules;

namespace Holes.Capabilities;

/// <summary>
/// What fill code may touch. The default is an allowlist of pure .NET APIs (LINQ, collections, strings, math, text,
/// regex with a timeout, JSON, tuples, records, tasks) plus the program's own types; everything else is denied.
/// </summary>
/// <remarks>
/// The check is semantic: every symbol and the type of every expression in the bound fill is checked, so aliases,
/// <c>global::</c> and fully qualified names are caught. It is a strong filter, not an isolation boundary: code that
/// must be treated as hostile belongs in a separate process.
/// </remarks>
public sealed class CapabilityPolicy
{
    /// <summary>The default policy: pure APIs and the program's own types; no console.</summary>
    public static CapabilityPolicy Default { get; } = new();

    /// <summary>Whether fills may use <see cref="Console"/>. Default <see langword="false"/>.</summary>
    public bool AllowConsole { get; init; }

    /// <summary>
    /// Extra framework namespaces fills may use (every type in them, and in nested namespaces),
    /// e.g. <c>System.ComponentModel</c>. Denied namespaces still win.
    /// </summary>
    public IReadOnlyCollection<string> AllowedNamespaces { get; init; } = [];

    /// <summary>Extra types fills may use, by full metadata name, e.g. <c>System.Diagnostics.Stopwatch</c>.</summary>
    public IReadOnlyCollection<string> AllowedTypes { get; init; } = [];

    /// <summary>
    /// Namespaces fills may never use, on top of the built-in denials; applies to the program's own code and its
    /// libraries too (for example a data-access namespace that should stay out of reach).
    /// </summary>
    public IReadOnlyCollection<string> DeniedNamespaces { get; init; } = [];

    /// <summary>Types fills may never use, by full metadata name.</summary>
    public IReadOnlyCollection<string> DeniedTypes { get; init; } = [];

    private RulePolicy? _rules;

    /// <summary>This policy as the shared rule set reads it; built once, since a policy never changes after construction.</summary>
    internal RulePolicy Rules => _rules ??= new RulePolicy
    {
        AllowConsole = AllowConsole,
        AllowedNamespaces = AllowedNamespaces,
        AllowedTypes = AllowedTypes,
        DeniedNamespaces = DeniedNamespaces,
        DeniedTypes = DeniedTypes,
    };

    /// <summary>A one-line description of what this policy grants beyond the default, for the prompt.</summary>
    internal string DescribeGrants()
    {
        var grants = new List<string>();
        if (AllowConsole)
        {
            grants.Add("System.Console (write output)");
        }

        grants.AddRange(AllowedNamespaces.Select(n => $"namespace {n}"));
        grants.AddRange(AllowedTypes.Select(t => $"type {t}"));
        return grants.Count == 0 ? "none beyond the defaults" : string.Join("; ", grants);
    }
}
