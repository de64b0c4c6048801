namespace Holes;

/// <summary>
/// Marks a capability type or member as an egress: a way for data to leave the program (sending mail, posting to a
/// host, writing a public file). Classified data may reach an egress only when it is also a <see cref="TrustedSinkAttribute"/>.
/// </summary>
/// <remarks>On a type, every public member of the type is an egress.</remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface | AttributeTargets.Method | AttributeTargets.Property, Inherited = true, AllowMultiple = false)]
public sealed class EgressAttribute : Attribute
{
}
