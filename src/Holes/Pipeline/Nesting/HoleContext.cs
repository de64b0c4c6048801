using Holes.Pipeline.Budget;
using Holes.Pipeline.Compile;
using Holes.Pipeline.Model;
using Holes.Pipeline.Verify;
using Holes.Runtime;

namespace Holes.Pipeline.Nesting;

/// <summary>
/// One hole in flight: where it is, what it was asked, what it was handed, and its parent. While its fill runs this
/// is the ambient context, so <c>agent&lt;T&gt;</c> calls made by the fill become its children.
/// </summary>
/// <remarks>
/// A hole is pure when it was called inside a <c>Classified&lt;T&gt;</c> transform (or under a pure ancestor): its
/// bound is empty, its fill is verified with the purity rules and nothing it declares is committed, so nothing derived
/// from classified data outlives it.
/// </remarks>
internal sealed class HoleContext
{
    private static readonly AsyncLocal<HoleContext?> s_current = new();

    public HoleContext(AgentSession session, HoleSite site, string task, IReadOnlyList<Binding> bindings, HoleContext? parent, bool pure = false)
    {
        Session = session;
        Site = site;
        Task = task;
        Bindings = bindings;
        Parent = parent;
        Depth = (parent?.Depth ?? 0) + 1;
        IsPure = pure || parent?.IsPure == true;
        Bound = EffectiveBound(site, parent, IsPure);
        Started = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    /// <summary>When the hole started (a <see cref="System.Diagnostics.Stopwatch"/> timestamp): its wall-time budget counts from here.</summary>
    public long Started { get; }

    /// <summary>
    /// Where the fill's wall-time budget counts from: the start of the hole (model and compile included), or, for code
    /// run by <see cref="AgentSession.ExecuteAsync{T}"/> (no model), the moment the code starts running.
    /// </summary>
    public bool BudgetFromRun { get; init; }

    /// <summary>The timestamp the fill's wall-time budget counts from (see <see cref="BudgetFromRun"/>).</summary>
    public long BudgetStart() => BudgetFromRun ? System.Diagnostics.Stopwatch.GetTimestamp() : Started;

    /// <summary>The hole whose fill is running on this async flow, if any.</summary>
    public static HoleContext? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    public AgentSession Session { get; }

    public HoleSite Site { get; }

    public string Task { get; }

    public IReadOnlyList<Binding> Bindings { get; }

    public HoleContext? Parent { get; }

    public int Depth { get; }

    /// <summary>Whether the hole is pure: it runs inside a <c>Classified&lt;T&gt;</c> transform, or under a pure hole.</summary>
    public bool IsPure { get; }

    /// <summary>The capability types the hole may be handed: its site's bound within every ancestor's; empty when pure.</summary>
    public HoleBound Bound { get; }

    /// <summary>The bound a hole at <paramref name="site"/> under <paramref name="parent"/> gets: never wider than the parent's.</summary>
    public static HoleBound EffectiveBound(HoleSite site, HoleContext? parent, bool pure) =>
        pure || parent?.IsPure == true ? HoleBound.Pure : HoleBound.Of(site.CapabilityBound).Intersect(parent?.Bound ?? HoleBound.Unbounded);

    /// <summary>
    /// The values a hole at <paramref name="site"/> may see under <paramref name="bound"/>. A value handed in
    /// explicitly whose run-time type is authority outside the bound fails the hole before any model call; one that
    /// would only be seen implicitly (a local in scope of a nested call, a value inherited from the parent) is left
    /// out, so a pure hole nested in a transform does not see the capabilities around it.
    /// </summary>
    /// <exception cref="HoleCapabilityException">An explicit value is a capability outside the bound.</exception>
    public static IReadOnlyList<Binding> Admit(HoleSite site, string task, IReadOnlyList<Binding> bindings, int explicitCount, HoleBound bound)
    {
        if (bound.IsUnbounded)
        {
            return bindings;
        }

        List<Binding>? admitted = null;
        for (var i = 0; i < bindings.Count; i++)
        {
            var binding = bindings[i];
            var authority = binding.Value is { } value ? RuntimeCapabilities.AuthorityIn(value.GetType()) : null;
            if (authority is null || bound.Fits(authority))
            {
                admitted?.Add(binding);
                continue;
            }

            if (i < explicitCount)
            {
                throw HoleCapabilityException.OutsideBound(site.Location, task, binding.Name, authority, bound.Describe());
            }

            admitted ??= [.. bindings.Take(i)];
        }

        return admitted ?? bindings;
    }

    /// <summary>
    /// The session variables this hole's fill sees: all of them, except granted capabilities outside its bound. A
    /// bounded hole is never handed more than its bound, whether as a value or through the session (a pure hole sees
    /// no capability at all).
    /// </summary>
    public IReadOnlyList<SessionVariable> Visible(IReadOnlyList<SessionVariable> variables)
    {
        if (Bound.IsUnbounded)
        {
            return variables;
        }

        return [.. variables.Where(v => v.Value is null || RuntimeCapabilities.AuthorityIn(v.Value.GetType()) is not { } authority || Bound.Fits(authority))];
    }

    /// <summary>The model the hole is filled with; <see langword="null"/> for code run by <c>ExecuteAsync</c>. Its fill's nested holes inherit it.</summary>
    public SessionModel? Model { get; init; }

    /// <summary>What the hole and the holes below it have spent, against <see cref="HoleOptions.Budget"/>.</summary>
    public BudgetAccount Account { get; } = new();

    /// <summary>Why the hole or an ancestor ran out of its budget, if one did: such a hole commits nothing.</summary>
    public HoleBudgetExceededException? RanOut()
    {
        for (var c = this; c is not null; c = c.Parent)
        {
            if (c.Account.Exhausted is { } exhausted)
            {
                return exhausted;
            }
        }

        return null;
    }

    /// <summary>
    /// Cancelled when this hole's running fill must stop (its budget ran out, it was cancelled, or it ended): holes
    /// the fill started are linked to it, so nothing a fill starts outlives it.
    /// </summary>
    public CancellationToken RunToken { get; set; }

    /// <summary>The code of the attempt now running, shown to nested holes as their ancestor's code.</summary>
    public string? Code { get; set; }

    /// <summary>This hole's ancestors and itself, outermost first.</summary>
    public IReadOnlyList<HoleContext> Chain()
    {
        var chain = new List<HoleContext>();
        for (var c = this; c is not null; c = c.Parent)
        {
            chain.Add(c);
        }

        chain.Reverse();
        return chain;
    }
}
