namespace Holes.Pipeline.Compile;

/// <summary>A value handed to a fill: the identifier it is visible under, its static C# type, and the value.</summary>
internal sealed record Binding(string Name, string TypeName, object? Value);
