using System.Collections;
using Holes.Pipeline.Compile;

namespace Holes;

/// <summary>
/// Named values handed to code run by <see cref="AgentSession.ExecuteAsync{T}"/>. The static type given to
/// <see cref="Add{TValue}"/> is the type the code sees.
/// </summary>
public sealed class HoleBindings : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly List<Binding> _bindings = [];

    /// <summary>Hands a value to the code under <paramref name="name"/>, typed as <typeparamref name="TValue"/>.</summary>
    /// <typeparam name="TValue">The static type the code sees.</typeparam>
    /// <param name="name">A C# identifier, unique within these bindings.</param>
    /// <param name="value">The value.</param>
    /// <returns>These bindings, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not an identifier or is already bound.</exception>
    public HoleBindings Add<TValue>(string name, TValue value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(name))
        {
            throw new ArgumentException($"'{name}' is not a C# identifier; bindings are visible to the code as variables.", nameof(name));
        }

        if (_bindings.Exists(b => b.Name == name))
        {
            throw new ArgumentException($"A value named '{name}' is already bound.", nameof(name));
        }

        _bindings.Add(new Binding(name, RuntimeTypeNames.FullyQualified(typeof(TValue)), value));
        return this;
    }

    /// <summary>The number of bound values.</summary>
    public int Count => _bindings.Count;

    internal IReadOnlyList<Binding> Items => _bindings;

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        => _bindings.Select(b => new KeyValuePair<string, object?>(b.Name, b.Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
