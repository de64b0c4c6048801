using System.ComponentModel;
using System.Runtime.CompilerServices;
using Holes.Pipeline.Compile;
using Holes.Pipeline.Nesting;

namespace Holes.Runtime;

/// <summary>
/// The running fill's link to the engine: its inputs, the variables it declares, its budget and its nested holes.
/// Only code the engine generates around a fill uses this type; fills themselves cannot name it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class FillFrame
{
    private readonly object?[] _values;
    private readonly object?[] _variables;
    private readonly object?[] _assigned;
    private readonly bool[] _isAssigned;
    private readonly bool[] _isRead;
    private readonly Type?[] _assignedTypes;
    private readonly Dictionary<string, (object? Value, Type Type)> _declared = new(StringComparer.Ordinal);
    private readonly CompiledFill _fill;
    private readonly HoleContext? _context;
    private volatile bool _ended;

    internal FillFrame(object?[] values, object?[] variables, CompiledFill fill, HoleContext? context)
    {
        _values = values;
        _variables = variables;
        _assigned = new object?[variables.Length];
        _isAssigned = new bool[variables.Length];
        _assignedTypes = new Type?[variables.Length];
        _isRead = new bool[variables.Length];
        _fill = fill;
        _context = context;
    }

    /// <summary>Awaits the fill's typed result and boxes it, so the engine can call every fill through one signature.</summary>
    /// <typeparam name="T">The hole's type.</typeparam>
    /// <param name="result">The running fill.</param>
    /// <returns>The fill's value.</returns>
    public static async Task<object?> Box<T>(Task<T> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return await result.ConfigureAwait(false);
    }

    /// <summary>Boxes the result of a fill that never awaits, so it is called through the same signature as one that does.</summary>
    /// <typeparam name="T">The hole's type.</typeparam>
    /// <param name="result">The fill's value.</param>
    /// <returns>A completed task holding the value.</returns>
    public static Task<object?> Completed<T>(T result) => Task.FromResult<object?>(result);

    /// <summary>Reads handed-in value <paramref name="index"/>.</summary>
    /// <typeparam name="T">Its static type.</typeparam>
    /// <param name="index">Its position.</param>
    /// <returns>The value.</returns>
    public T Value<T>(int index) => _values[index] is T value ? value : default!;

    /// <summary>Reads session variable <paramref name="index"/> from the snapshot taken when the fill started.</summary>
    /// <typeparam name="T">Its static type.</typeparam>
    /// <param name="index">Its position.</param>
    /// <returns>The value.</returns>
    public T Variable<T>(int index)
    {
        _isRead[index] = true;
        return _variables[index] is T value ? value : default!;
    }

    /// <summary>Records the final value of session variable <paramref name="index"/>; applied only if the fill completes.</summary>
    /// <typeparam name="T">Its static type.</typeparam>
    /// <param name="index">Its position.</param>
    /// <param name="value">Its value when the fill returned.</param>
    public void Assign<T>(int index, T value)
    {
        if (_ended)
        {
            // The fill has ended (committed or failed): leftover work can no longer change what it commits.
            return;
        }

        _assigned[index] = value;
        _assignedTypes[index] = typeof(T);
        _isAssigned[index] = true;
    }

    /// <summary>Records a top-level variable the fill declared; applied only if the fill completes.</summary>
    /// <typeparam name="T">Its static type.</typeparam>
    /// <param name="name">Its name.</param>
    /// <param name="value">Its value when the fill returned.</param>
    public void Declare<T>(string name, T value)
        where T : allows ref struct
    {
        // A span or other ref struct lives on the stack and cannot outlive the fill, so it is never persisted. The
        // rewriter captures declarations from syntax alone (it cannot see that `var s = text.AsSpan()` is a span),
        // so the generic parameter admits ref structs and the decision is made here, where the type is known.
        if (typeof(T).IsByRefLike || _ended)
        {
            return;
        }

        var boxed = typeof(T).IsValueType
            ? RuntimeHelpers.Box(ref Unsafe.As<T, byte>(ref value), typeof(T).TypeHandle)
            : Unsafe.As<T, object?>(ref value);
        lock (_declared)
        {
            _declared[name] = (boxed, typeof(T));
        }
    }

    /// <summary>
    /// A budget check: throws once the hole is cancelled, timed out or over. The engine weaves <see cref="FillBudget"/>
    /// checks into every method and loop of a fill's compiled code; this remains for code that calls it by name.
    /// </summary>
    public void Tick() => Budget?.ThrowIfStopped();

    /// <summary>Prepares nested hole <paramref name="site"/> with the locals in scope at its call.</summary>
    /// <param name="site">The nested call's index within the fill.</param>
    /// <param name="scope">Values of the locals in scope, in the order the site lists them.</param>
    /// <returns>A caller whose <c>agent&lt;T&gt;</c> fills the nested hole.</returns>
    public NestedHoleCaller Nested(int site, params object?[] scope) =>
        new(_context, site < _fill.NestedSites.Count ? _fill.NestedSites[site] : null, scope, _fill.PureNestedSites.Contains(site)) { Route = Route, SiteIndex = site };

    /// <summary>Where nested holes go when the fill runs in the isolated worker (there is no engine in that process).</summary>
    internal Holes.Execution.INestedHoleRoute? Route { get; init; }

    /// <summary>Positions of the session variables the fill read (an object it read may have been changed in place).</summary>
    internal IEnumerable<int> ReadVariables() => Enumerable.Range(0, _isRead.Length).Where(i => _isRead[i]);

    /// <summary>The budget the fill runs under (set when it starts).</summary>
    internal RunBudget? Budget { get; set; }

    /// <summary>
    /// Wraps a function or lazy sequence the fill commits, seen as its static type, so later calls run under a budget
    /// (in process; the isolated worker keeps such values itself and budgets each call into them).
    /// </summary>
    internal Func<object?, Type, object?>? Wrap { get; init; }

    private object? Wrapped(object? value, Type? type) => Wrap is { } wrap && type is not null ? wrap(value, type) : value;

    /// <summary>The fill is over: nothing it does from now on is recorded for commit.</summary>
    internal void End() => _ended = true;

    internal IEnumerable<SessionVariable> Declared()
    {
        lock (_declared)
        {
            return _declared.Select(d => new SessionVariable(d.Key, _fill.DeclaredTypes.GetValueOrDefault(d.Key, "object"), Wrapped(d.Value.Value, d.Value.Type))).ToList();
        }
    }

    internal IEnumerable<(string Name, object? Value)> Assigned(IReadOnlyList<VariableSlot> slots)
    {
        for (var i = 0; i < _isAssigned.Length; i++)
        {
            if (_isAssigned[i] && _fill.WrittenVariables.Contains(i))
            {
                yield return (slots[i].Name, Wrapped(_assigned[i], _assignedTypes[i]));
            }
        }
    }
}
