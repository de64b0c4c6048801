using System.Collections.Immutable;
using Holes.Pipeline.Verify;

namespace Holes.Pipeline.Commit;

/// <summary>
/// The session's persisted variables. Readers take an immutable snapshot; a fill's changes are applied in one
/// step when it completes, so a fill that throws leaves nothing behind and siblings never see half a commit.
/// </summary>
/// <remarks>
/// Also the session's grants: capabilities the program gave the session itself with
/// <see cref="AgentSession.Grant{TCapability}"/>. Those are the only capabilities a fill may keep in a session variable.
/// </remarks>
internal sealed class VariableStore
{
    private readonly Lock _gate = new();
    private ImmutableArray<SessionVariable> _variables = [];
    private ImmutableArray<GrantedCapability> _grants = [];
    private ImmutableArray<GrantedType> _grantedTypes = [];

    public ImmutableArray<SessionVariable> Snapshot() => _variables;

    /// <summary>The write locks fills take before they read the variables they will write (see <see cref="VariableLocks"/>).</summary>
    public VariableLocks Locks { get; } = new();

    /// <summary>The capability types granted to the session, for the verifier.</summary>
    public IReadOnlyList<GrantedType> GrantedTypes => _grantedTypes;

    /// <summary>Whether <paramref name="value"/> is a capability the session was granted (by identity).</summary>
    public bool IsGranted(object value)
    {
        foreach (var grant in _grants)
        {
            if (ReferenceEquals(grant.Capability, value))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsGrantedName(string name) => _grants.Any(g => g.Name == name);

    /// <summary>Applies a completed fill's declarations (new or redeclared variables) and assignments.</summary>
    public void Commit(IEnumerable<SessionVariable> declared, IEnumerable<(string Name, object? Value)> assigned)
    {
        lock (_gate)
        {
            var builder = _variables.ToBuilder();
            foreach (var (name, value) in assigned)
            {
                var index = IndexOf(builder, name);
                if (index >= 0)
                {
                    builder[index] = builder[index] with { Value = value };
                }
            }

            foreach (var variable in declared)
            {
                var index = IndexOf(builder, variable.Name);
                if (index >= 0)
                {
                    builder[index] = variable;
                }
                else
                {
                    builder.Add(variable);
                }
            }

            _variables = builder.ToImmutable();
        }
    }

    /// <summary>Stores a granted capability as a variable (replacing any variable of that name, and revoking an earlier grant under it).</summary>
    public void Grant(SessionVariable variable, Type type, object capability)
    {
        lock (_gate)
        {
            RevokeLocked(variable.Name);
            _grants = _grants.Add(new GrantedCapability(variable.Name, capability, new GrantedType(RuntimeCapabilities.Name(type), RuntimeCapabilities.Supertypes(type))));
            _grantedTypes = [.. _grants.Select(g => g.Type)];
        }

        Commit([variable], []);
    }

    /// <summary>
    /// Removes a variable. Removing a granted capability revokes the grant: every variable that holds the same
    /// object (copies fills made) is removed with it.
    /// </summary>
    public bool Remove(string name)
    {
        lock (_gate)
        {
            if (RevokeLocked(name))
            {
                return true;
            }

            var index = IndexOf(_variables, name);
            if (index < 0)
            {
                return false;
            }

            _variables = _variables.RemoveAt(index);
            return true;
        }
    }

    private bool RevokeLocked(string name)
    {
        var grant = _grants.FirstOrDefault(g => g.Name == name);
        if (grant is null)
        {
            return false;
        }

        _grants = _grants.Remove(grant);
        _grantedTypes = [.. _grants.Select(g => g.Type)];
        _variables = _variables.RemoveAll(v => v.Name == name || ReferenceEquals(v.Value, grant.Capability));
        return true;
    }

    private static int IndexOf(IReadOnlyList<SessionVariable> variables, string name)
    {
        for (var i = 0; i < variables.Count; i++)
        {
            if (variables[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    private sealed record GrantedCapability(string Name, object Capability, GrantedType Type);
}
