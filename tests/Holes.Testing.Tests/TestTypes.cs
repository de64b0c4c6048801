namespace Holes.Testing.Tests;

/// <summary>Basic facts about a person.</summary>
/// <param name="Name">Full name.</param>
/// <param name="BirthYear">Year of birth.</param>
internal sealed record Person(string Name, int BirthYear);
