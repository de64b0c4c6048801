namespace Holes.Pipeline.Verify;

/// <summary>
/// A capability type the session was granted with <see cref="AgentSession.Grant{TCapability}"/>: its
/// reflection-style name and the names of its base types and interfaces, so the verifier can tell whether a fill
/// keeps authority the session already holds.
/// </summary>
/// <param name="Name">The granted type's full name (<c>Ns.Outer+Inner</c>).</param>
/// <param name="Supertypes">Its own name and those of its base types and interfaces.</param>
internal sealed record GrantedType(string Name, IReadOnlySet<string> Supertypes);
