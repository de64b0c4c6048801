namespace Holes.Rules;

/// <summary>Why a symbol may not be used by a fill: a <c>HOLE1xxx</c> id and a message naming the symbol.</summary>
internal sealed record Denial(string Id, string Message);
