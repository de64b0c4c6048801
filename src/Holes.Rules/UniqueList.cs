using System.Collections.Generic;

namespace Holes.Rules;

/// <summary>
/// A list without duplicates, in first-added order. Effect graphs hold one per node and kind (tens of thousands on a
/// 500-file program), most empty or with a handful of items: the list is made on the first add and searched, and a
/// hash set is made only for the few that grow (a type has an edge per member), which keeps adding linear.
/// </summary>
internal sealed class UniqueList<T> : IEnumerable<T>
{
    private const int SearchLimit = 8;
    private static readonly List<T> s_empty = new();
    private List<T>? _items;
    private HashSet<T>? _seen;

    public int Count => _items?.Count ?? 0;

    /// <summary>The items in first-added order (read only: the empty list is shared).</summary>
    public IReadOnlyList<T> Items => _items ?? s_empty;

    public T this[int index] => Items[index];

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

    public bool Contains(T item) => _seen?.Contains(item) ?? (_items is not null && _items.Contains(item));

    public List<T>.Enumerator GetEnumerator() => (_items ?? s_empty).GetEnumerator();

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
