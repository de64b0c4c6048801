using System.ComponentModel;

namespace Holes.Runtime;

/// <summary>One value handed to a hole: the name the fill uses for it and its static type.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class HoleParameter
{
    /// <summary>Creates a parameter descriptor.</summary>
    /// <param name="name">The identifier the fill uses (for <c>order.Items</c> this is <c>Items</c>).</param>
    /// <param name="type">The static type, fully qualified with <c>global::</c>.</param>
    /// <param name="expression">The argument expression as written at the call site.</param>
    public HoleParameter(string name, string type, string expression)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Type = type ?? throw new ArgumentNullException(nameof(type));
        Expression = expression ?? name;
    }

    /// <summary>The identifier the fill uses for the value.</summary>
    public string Name { get; }

    /// <summary>The value's static type, fully qualified with <c>global::</c>.</summary>
    public string Type { get; }

    /// <summary>The argument expression as written at the call site.</summary>
    public string Expression { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Type} {Name}";
}
