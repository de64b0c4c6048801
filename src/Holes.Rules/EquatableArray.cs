using System;
using System.Collections;
using System.Collections.Generic;

namespace Holes.Rules;

/// <summary>
/// An array with value equality. Incremental generators compare each step's output with the previous run's to
/// decide whether later steps can be skipped; arrays compare by reference, which would defeat that on every edit.
/// </summary>
internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
    where T : IEquatable<T>
{
    private readonly T[]? _items;

    public EquatableArray(IEnumerable<T> items)
    {
        // One copy (a collection copies itself into the array), none for an empty one.
        _items = items is ICollection<T> { Count: 0 } ? Array.Empty<T>() : System.Linq.Enumerable.ToArray(items);
    }

    public static EquatableArray<T> Empty => default;

    public int Count => _items?.Length ?? 0;

    public T this[int index] => (_items ?? Array.Empty<T>())[index];

    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

    public bool Equals(EquatableArray<T> other)
    {
        T[] mine = _items ?? Array.Empty<T>();
        T[] theirs = other._items ?? Array.Empty<T>();
        if (mine.Length != theirs.Length)
        {
            return false;
        }

        for (int i = 0; i < mine.Length; i++)
        {
            if (!EqualityComparer<T>.Default.Equals(mine[i], theirs[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        // netstandard2.0 has no System.HashCode; this is the usual multiply-and-add combination.
        int hash = 17;
        foreach (T item in _items ?? Array.Empty<T>())
        {
            hash = unchecked((hash * 31) + (item is null ? 0 : EqualityComparer<T>.Default.GetHashCode(item)));
        }

        return hash;
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? Array.Empty<T>())).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
