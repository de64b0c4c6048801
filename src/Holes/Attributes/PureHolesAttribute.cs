namespace Holes;

/// <summary>
/// The holes inside a method or type may receive no capabilities at all: they compute over data only. Nested holes
/// inherit this bound.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Constructor | AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class PureHolesAttribute : Attribute
{
}
