namespace Holes.Rules;

// The effect analysis works in two steps. The Holes.Effects build step summarises each type of the compiled program,
// from its IL and its metadata symbols, into the plain data below (no symbols, no IL). EffectGraph then joins every
// summary into one graph and computes, by a transitive closure, which types are authority and which members reach an
// effect, and by what path.

/// <summary>What kind of node a <see cref="EffectNode"/> is; decides whether and how it is emitted.</summary>
internal enum EffectNodeKind
{
    /// <summary>An ordinary method, operator, conversion or finalizer.</summary>
    Method,

    /// <summary>A property or indexer (its accessors and, for an auto-property, what it holds).</summary>
    Property,

    /// <summary>A field: what it holds, and for a static field whether it is mutable state.</summary>
    Field,

    /// <summary>An event (its accessors, or for a field-like event, what it holds).</summary>
    Event,

    /// <summary>An instance constructor, declared or implicit, with the field and property initializers the compiler puts in it.</summary>
    Constructor,

    /// <summary>The static constructor and static initializers, run before the type's first static use or construction.</summary>
    StaticInitializer,
}

/// <summary>
/// One member (or initializer) of a type in the effect graph: the effects its own code has, and the other nodes its
/// code reaches (members it calls, reads or constructs, the types its fields hold).
/// </summary>
/// <param name="Id">The documentation comment id (<c>M:</c>, <c>P:</c>, <c>F:</c>, <c>E:</c>; <c>M:T.#cctor</c> for the static initializer).</param>
/// <param name="Name">How paths show it, e.g. <c>Shell.Run</c> or <c>new Shell</c>.</param>
/// <param name="Kind">What it is.</param>
/// <param name="IsStatic">A static member (these go in the effect-free list when they reach nothing).</param>
/// <param name="IsVisible">Reachable by fill code by name (not private or protected); only visible nodes are emitted.</param>
/// <param name="Effects">What its own code does that is an effect, in the order found (e.g. <c>System.Diagnostics.Process.Start</c>).</param>
/// <param name="Edges">Ids of the nodes its code reaches: callees, constructed types (<c>new:T:...</c>), static initializers, held types (<c>T:...</c>).</param>
/// <param name="Implements">Ids of the members it overrides or implements: a call to one of those may run this one.</param>
/// <param name="StaticReceiverCalls">The program's instance methods it calls on an object reached through static state; an effect if that method mutates its object.</param>
/// <param name="WritesThis">Its own code writes the instance's state (a field of <c>this</c>, or a collection held by one).</param>
/// <param name="ThisCalls">Ids of the instance methods it calls on <c>this</c>: it mutates the instance if one of them does.</param>
internal sealed record EffectNode(
    string Id,
    string Name,
    EffectNodeKind Kind,
    bool IsStatic,
    bool IsVisible,
    EquatableArray<string> Effects,
    EquatableArray<string> Edges,
    EquatableArray<string> Implements,
    EquatableArray<StaticReceiverCall> StaticReceiverCalls,
    bool WritesThis,
    EquatableArray<string> ThisCalls);

/// <summary>A call of one of the program's instance methods on an object reached through static state.</summary>
/// <param name="Callee">The method's documentation comment id.</param>
/// <param name="Root">The static field or property the object was reached through, e.g. <c>Registry.s_items</c>.</param>
internal sealed record StaticReceiverCall(string Callee, string Root);

/// <summary>
/// What one type of the compiled program contributes to the effect graph (top-level statements are the methods of
/// their <c>Program</c> type); <see cref="EffectGraph"/> merges summaries by <see cref="TypeId"/> should a type have several.
/// </summary>
/// <param name="TypeId">The type's documentation comment id, <c>T:...</c>.</param>
/// <param name="Name">How paths show it: the type and its containing types, without the namespace.</param>
/// <param name="IsVisible">Fill code can name it (neither it nor a containing type is private or protected).</param>
/// <param name="Effects">Effects of the type itself, e.g. <c>[Capability] Ns.Shell</c> when it is marked.</param>
/// <param name="Edges">Ids the type reaches besides its members: its base class in the program.</param>
/// <param name="Members">Its members and initializers.</param>
internal sealed record TypeEffects(
    string TypeId,
    string Name,
    bool IsVisible,
    EquatableArray<string> Effects,
    EquatableArray<string> Edges,
    EquatableArray<EffectNode> Members);

/// <summary>One entry of the effect table: a type that is authority or a member that reaches an effect, and the path that shows it.</summary>
/// <param name="Id">The documentation comment id.</param>
/// <param name="Path">The chain from the symbol to the effect, e.g. <c>Shell.Run → System.Diagnostics.Process.Start</c>.</param>
internal sealed record EffectEntry(string Id, string Path);

/// <summary>The program's effect table, as the generator emits it into the assembly.</summary>
/// <param name="Effects">Types that are authority and members that reach an effect, sorted by id.</param>
/// <param name="EffectFree">Static methods and properties proven effect-free, sorted by id.</param>
internal sealed record EffectTableSpec(EquatableArray<EffectEntry> Effects, EquatableArray<string> EffectFree);
