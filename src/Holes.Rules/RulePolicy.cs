using System.Collections.Generic;

namespace Holes.Rules;

/// <summary>
/// The grants and denials a capability policy adds to the built-in rules, as plain data: the runtime builds it from
/// <c>CapabilityPolicy</c>, the analyzers from the defaults, so both judge symbols with the same <see cref="CapabilityRules"/>.
/// </summary>
internal sealed class RulePolicy
{
    /// <summary>The built-in rules with nothing granted or denied on top.</summary>
    public static RulePolicy Default { get; } = new();

    public bool AllowConsole { get; init; }

    public IReadOnlyCollection<string> AllowedNamespaces { get; init; } = [];

    public IReadOnlyCollection<string> AllowedTypes { get; init; } = [];

    public IReadOnlyCollection<string> DeniedNamespaces { get; init; } = [];

    public IReadOnlyCollection<string> DeniedTypes { get; init; } = [];
}
