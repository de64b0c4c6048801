using Holes.Pipeline.Compile;
using Holes.Runtime;

namespace Holes.Pipeline.Nesting;

/// <summary>
/// One hole in flight: where it is, what it was asked, what it was handed, and its parent. While its fill runs this
/// is the ambient context, so <c>agent&lt;T&gt;</c> calls made by the fill become its children.
/// </summary>
internal sealed class HoleContext
{
    private static readonly AsyncLocal<HoleContext?> s_current = new();

    public HoleContext(AgentSession session, HoleSite site, string task, IReadOnlyList<Binding> bindings, HoleContext? parent)
    {
        Session = session;
        Site = site;
        Task = task;
        Bindings = bindings;
        Parent = parent;
        Depth = (parent?.Depth ?? 0) + 1;
        Started = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    /// <summary>When the hole started (a <see cref="System.Diagnostics.Stopwatch"/> timestamp): its wall-time budget counts from here.</summary>
    public long Started { get; }

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
