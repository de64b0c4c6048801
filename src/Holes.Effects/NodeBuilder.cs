using Holes.Rules;

namespace Holes.Effects;

/// <summary>Collects one node's effects and edges, keeping first-found order and no duplicates.</summary>
/// <remarks>
/// IL loads a static field before it stores it (<c>s_count += 2</c> is <c>ldsfld; add; stsfld</c>), so reads are kept
/// apart and listed after every other effect: a path names the write, as it would for the source.
/// </remarks>
internal sealed class NodeBuilder
{
    private readonly UniqueList<string> _effects = new();
    private readonly UniqueList<string> _reads = new();
    private readonly UniqueList<string> _edges = new();
    private readonly UniqueList<string> _implements = new();
    private readonly UniqueList<StaticReceiverCall> _staticCalls = new();
    private readonly UniqueList<string> _thisCalls = new();

    public NodeBuilder(string id, string name, EffectNodeKind kind, bool isStatic, bool isVisible)
    {
        Id = id;
        Name = name;
        Kind = kind;
        IsStatic = isStatic;
        IsVisible = isVisible;
    }

    public string Id { get; }

    public string Name { get; }

    public EffectNodeKind Kind { get; }

    public bool IsStatic { get; }

    public bool IsVisible { get; }

    public bool WritesThis { get; set; }

    public void Effect(string effect) => _effects.Add(effect);

    /// <summary>A read of mutable static state: an effect, named only when the code does nothing worse.</summary>
    public void Read(string effect) => _reads.Add(effect);

    public void Edge(string id)
    {
        if (id != Id)
        {
            _edges.Add(id);
        }
    }

    public void Implement(string id) => _implements.Add(id);

    public void StaticCall(StaticReceiverCall call) => _staticCalls.Add(call);

    public void ThisCall(string id) => _thisCalls.Add(id);

    public EffectNode Build() => new(
        Id,
        Name,
        Kind,
        IsStatic,
        IsVisible,
        new EquatableArray<string>(_reads.Count == 0 ? _effects.Items : _effects.Items.Concat(_reads.Items.Where(r => !_effects.Contains(r))).ToList()),
        new EquatableArray<string>(_edges.Items),
        new EquatableArray<string>(_implements.Items),
        new EquatableArray<StaticReceiverCall>(_staticCalls.Items),
        WritesThis,
        new EquatableArray<string>(_thisCalls.Items));
}
