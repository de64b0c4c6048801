namespace Holes.Runtime;

/// <summary>
/// The one fill thread whose entry checks need no thread-static: it is recognised by its stack address (stacks of live
/// threads never overlap), so <see cref="FillBudget.Enter"/> finds its count of entries and the stops it has seen in
/// this object, read from an ordinary static field, instead of through thread-local storage (a call into the C
/// library on Linux, a large share of a cheap check). Other threads take the thread-static path.
/// </summary>
/// <remarks>
/// Only the owning thread writes <see cref="Left"/> and <see cref="Stops"/> (no other thread's stack is in the range);
/// the range itself never changes, and the object is unpublished before its thread ends, so a later thread that reuses
/// that stack memory never finds it.
/// </remarks>
internal sealed class FastEntryThread(nuint low, nuint span)
{
    /// <summary>The lowest stack address fill code may reach on this thread: the recursion limit.</summary>
    public readonly nuint Low = low;

    /// <summary>From <see cref="Low"/> up to the frame that runs the fill.</summary>
    public readonly nuint Span = span;

    /// <summary>Entries left before the next full check; 0 forces one.</summary>
    public int Left;

    /// <summary>The value of <see cref="FillBudget.Stops"/> at the last full check, read before the budget was.</summary>
    public int Stops;

    /// <summary>Whether <paramref name="stackAddress"/> is on this thread's stack, above the recursion limit.</summary>
    public bool Holds(nuint stackAddress) => stackAddress - Low < Span;
}
