namespace Holes;

/// <summary>
/// Bounds the holes inside a method or type: they may be handed only capabilities of the listed types (or types
/// derived from them). Nested holes inherit the bound of the hole that contains them and can never widen it.
/// </summary>
/// <example>
/// <code>
/// [HoleBound(typeof(IMailbox), typeof(ITickets))]
/// static Task Triage(IMailbox mailbox, ITickets tickets) => agent&lt;int&gt;("file a ticket per urgent mail", mailbox, tickets);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Constructor | AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class HoleBoundAttribute : Attribute
{
    /// <summary>Bounds the holes inside to the given capability types.</summary>
    /// <param name="capabilities">The capability types holes inside may receive.</param>
    public HoleBoundAttribute(params Type[] capabilities) => Capabilities = capabilities ?? [];

    /// <summary>The capability types holes inside may receive.</summary>
    public IReadOnlyList<Type> Capabilities { get; }
}
