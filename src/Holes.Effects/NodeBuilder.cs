using Holes.Rules;

namespace Holes.Effects;

/// <summary>Collects one node's effects and edges, keeping first-found order and no duplicates.</summary>
/// <remarks>
/// IL loads a static field before it stores it (<c>s_count += 2</c> is <c>ldsfld; add; stsfld</c>), so reads are kept
/// apart and listed after every other effect: a path names the write, as it would for the source.
/// </remarks>
internal sealed class NodeBuilder
{
    private readonly OrderedSet<string> _effects = new();
    private readonly OrderedSet<string> _reads = new();
    private readonly OrderedSet<string> _edges = new();
    private readonly OrderedSet<string> _implements = new();
    private readonly OrderedSet<StaticReceiverCall> _staticCalls = new();
    private readonly OrderedSet<string> _thisCalls = new();

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
        _edges.ToArray(),
        _implements.ToArray(),
        new EquatableArray<StaticReceiverCall>(_staticCalls.Items),
        WritesThis,
        _thisCalls.ToArray());

    /// <summary>
    /// A list without duplicates in first-added order. A program has a node per member and most of its sets stay
    /// empty or hold a few items: the list is made on the first add and searched, a hash set only once it grows.
    /// </summary>
    private sealed class OrderedSet<T>
        where T : IEquatable<T>
    {
        private const int SearchLimit = 8;
        private static readonly List<T> s_empty = new();
        private List<T>? _items;
        private HashSet<T>? _seen;

        public List<T> Items => _items ?? s_empty;

        public int Count => _items?.Count ?? 0;

        public bool Contains(T item) => _seen?.Contains(item) ?? (_items is not null && _items.Contains(item));

        public void Add(T item)
        {
            if (_seen is not null)
            {
                if (_seen.Add(item))
                {
                    _items!.Add(item);
                }

                return;
            }

            _items ??= new List<T>(4);
            if (_items.Contains(item))
            {
                return;
            }

            _items.Add(item);
            if (_items.Count > SearchLimit)
            {
                _seen = new HashSet<T>(_items);
            }
        }

        public EquatableArray<T> ToArray() => new(Items);
    }
}
