namespace Holes;

/// <summary>
/// Marks a class or interface as a capability: an object with authority to act on the world (a mailbox, a ticket
/// system, a file system, a search client). Fill code can never construct, subclass or otherwise obtain a capability;
/// it can only use one it was handed, as a value of a hole or a variable the session was granted.
/// </summary>
/// <remarks>
/// The mark is inherited: a class implementing a capability interface, or deriving from a capability class, is a
/// capability too. Prefer interfaces: with <c>HoleIsolation.Process</c> a capability crosses into the worker as a
/// proxy of its interface, and every call runs on the real object in the host.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface, Inherited = true, AllowMultiple = false)]
public sealed class CapabilityAttribute : Attribute
{
}
