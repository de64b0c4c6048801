namespace Holes;

/// <summary>
/// Fills the holes inside a method or type with the session's model of the given key, unless a
/// <see cref="AgentSession.UseModel"/> (or, in a fill, <c>model</c>) scope around the call picks another. The nearest
/// attribute wins: a method's over its type's. The source generator reads it into each hole's site at compile time.
/// </summary>
/// <example>
/// <code>
/// [HoleModel("strong")]
/// static Task&lt;Plan&gt; PlanAsync(string goal) =&gt; agent&lt;Plan&gt;("a plan of small steps for goal", goal);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Constructor | AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class HoleModelAttribute : Attribute
{
    /// <summary>Fills the holes inside with the model registered under <paramref name="key"/>.</summary>
    /// <param name="key">A key of the session's models (see <see cref="AgentSession.Models"/>).</param>
    public HoleModelAttribute(string key) => Key = key ?? "";

    /// <summary>The key of the model the holes inside are filled with.</summary>
    public string Key { get; }
}
