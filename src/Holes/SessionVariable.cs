namespace Holes;

/// <summary>A variable declared at the top level of an accepted fill; later fills see it by name.</summary>
/// <param name="Name">The variable's name.</param>
/// <param name="TypeName">Its static C# type, as later fills see it.</param>
/// <param name="Value">Its current value.</param>
public sealed record SessionVariable(string Name, string TypeName, object? Value);
