using System.Collections.Immutable;

namespace Holes.Pipeline.Commit;

/// <summary>
/// The session's persisted variables. Readers take an immutable snapshot; a fill's changes are applied in one
/// step when it completes, so a fill that throws leaves nothing behind and siblings never see half a commit.
/// </summary>
internal sealed class VariableStore
{
    private readonly Lock _gate = new();
    private ImmutableArray<SessionVariable> _variables = [];

    public ImmutableArray<SessionVariable> Snapshot() => _variables;

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

    public bool Remove(string name)
    {
        lock (_gate)
        {
            var index = IndexOf(_variables, name);
            if (index < 0)
            {
                return false;
            }

            _variables = _variables.RemoveAt(index);
            return true;
        }
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
}
