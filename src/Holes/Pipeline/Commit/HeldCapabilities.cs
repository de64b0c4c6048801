using System.Collections.Concurrent;
using System.Reflection;

namespace Holes.Pipeline.Commit;

/// <summary>
/// Finds a capability inside a value a fill is about to commit: in a list, an array, an anonymous object, a tuple, a
/// record, or the closure of a delegate. The verifier rejects what it can see in the types; this catches what only the
/// objects show (a capability kept as <c>object</c>, in a <c>List&lt;object&gt;</c>, in a closure).
/// </summary>
/// <remarks>
/// It looks only for the capability objects the hole was handed (by reference), so it runs only when there are any:
/// an ordinary fill pays nothing. The walk follows every reference field, public or not, and stops after
/// <see cref="MaxObjects"/> objects; a graph that large is refused rather than committed unchecked.
/// </remarks>
internal static class HeldCapabilities
{
    /// <summary>The most objects one commit's values are walked through.</summary>
    public const int MaxObjects = 1_000_000;

    private static readonly ConcurrentDictionary<Type, FieldInfo[]> s_fields = new();

    /// <summary>The outcome of a search: the capability found, or that the values were too large to search.</summary>
    public readonly record struct Finding(object? Capability, bool TooLarge);

    /// <summary>Searches <paramref name="roots"/> for any of <paramref name="handed"/> (compared by reference).</summary>
    /// <param name="roots">The values to search.</param>
    /// <param name="handed">The capability objects to look for.</param>
    /// <param name="opaque">Objects not to look inside (other capabilities: their state is the host's, not the fill's).</param>
    public static Finding Find(IEnumerable<object?> roots, IReadOnlyCollection<object> handed, Func<object, bool>? opaque = null)
    {
        var wanted = new HashSet<object>(handed, ReferenceEqualityComparer.Instance);
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object>();
        foreach (var root in roots)
        {
            if (root is not null)
            {
                pending.Push(root);
            }
        }

        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (wanted.Contains(current))
            {
                return new Finding(current, false);
            }

            if (IsLeaf(current.GetType()) || !seen.Add(current))
            {
                continue;
            }

            if (seen.Count > MaxObjects)
            {
                return new Finding(null, true);
            }

            var type = current.GetType();
            if (opaque?.Invoke(current) == true)
            {
                continue;
            }

            if (current is Array array)
            {
                if (!IsLeaf(type.GetElementType()!))
                {
                    foreach (var element in array)
                    {
                        if (element is not null)
                        {
                            pending.Push(element);
                        }
                    }
                }

                continue;
            }

            foreach (var field in Fields(type))
            {
                if (field.GetValue(current) is { } value)
                {
                    pending.Push(value);
                }
            }
        }

        return new Finding(null, false);
    }

    /// <summary>Types that hold no references worth following.</summary>
    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type.IsPointer || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime) ||
        type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid) || typeof(MemberInfo).IsAssignableFrom(type);

    /// <summary>Every instance field of <paramref name="type"/> and its bases that can hold a reference (directly or in a struct).</summary>
    private static FieldInfo[] Fields(Type type) => s_fields.GetOrAdd(type, static t =>
    {
        var fields = new List<FieldInfo>();
        for (var declaring = t; declaring is not null && declaring != typeof(object); declaring = declaring.BaseType)
        {
            foreach (var field in declaring.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (!IsLeaf(field.FieldType) && !field.FieldType.IsByRefLike && !field.FieldType.IsPointer &&
                    field.FieldType != typeof(IntPtr) && field.FieldType != typeof(UIntPtr))
                {
                    fields.Add(field);
                }
            }
        }

        return [.. fields];
    });
}
