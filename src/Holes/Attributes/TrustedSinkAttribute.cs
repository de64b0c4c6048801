namespace Holes;

/// <summary>
/// Marks an egress the developer allows to receive classified data (for example a ticket system inside the
/// company). Only a trusted sink may take a <see cref="Classified{T}"/> out of the program, by calling
/// <see cref="Classified{T}.Reveal"/> in its own, trusted code.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface | AttributeTargets.Method | AttributeTargets.Property, Inherited = true, AllowMultiple = false)]
public sealed class TrustedSinkAttribute : Attribute
{
}
