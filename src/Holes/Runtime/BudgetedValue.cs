using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using Holes.Pipeline.Compile;

namespace Holes.Runtime;

/// <summary>
/// Functions and lazy sequences that leave a fill (as the hole's value or as a session variable) still run fill code
/// when they are called later. They are wrapped so that every call (every <c>MoveNext</c> of a sequence) runs under a
/// budget: the running fill's, when the call comes from a later fill; otherwise a budget of its own, of
/// <see cref="HoleOptions.Timeout"/>.
/// </summary>
internal static class BudgetedValue
{
    private static readonly MethodInfo s_call = typeof(FillBudget).GetMethods(BindingFlags.NonPublic | BindingFlags.Static)
        .Single(m => m.Name == nameof(FillBudget.Call) && m.IsGenericMethodDefinition);

    private static readonly MethodInfo s_callVoid = typeof(FillBudget).GetMethods(BindingFlags.NonPublic | BindingFlags.Static)
        .Single(m => m.Name == nameof(FillBudget.Call) && !m.IsGenericMethodDefinition);

    /// <summary>
    /// <paramref name="value"/>, wrapped when it is a function or a lazy sequence of fill code seen as
    /// <paramref name="staticType"/>; anything else unchanged.
    /// </summary>
    public static object? Wrap(object? value, Type staticType, TimeSpan? limit)
    {
        switch (value)
        {
            case null:
                return null;
            case Delegate function when staticType.IsInstanceOfType(function) && typeof(Delegate).IsAssignableFrom(staticType) && IsFillCode(function):
                return WrapDelegate(function, limit) ?? value;
        }

        if (!staticType.IsInterface || !staticType.IsGenericType || !IsLazy(value))
        {
            return value;
        }

        var definition = staticType.GetGenericTypeDefinition();
        var element = staticType.GetGenericArguments()[0];
        if (definition == typeof(IEnumerable<>))
        {
            return Activator.CreateInstance(typeof(BudgetedEnumerable<>).MakeGenericType(element), value, limit);
        }

        if (definition == typeof(IAsyncEnumerable<>))
        {
            return Activator.CreateInstance(typeof(BudgetedAsyncEnumerable<>).MakeGenericType(element), value, limit);
        }

        return value;
    }

    /// <summary>Whether a delegate's code (any of it) was compiled from a fill.</summary>
    private static bool IsFillCode(Delegate function)
    {
        foreach (var single in function.GetInvocationList())
        {
            if (single.Method.Module.Assembly.GetName().Name == FillSource.AssemblyName)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A sequence that computes as it goes: a fill's iterator, or a LINQ operator over fill code.</summary>
    private static bool IsLazy(object value)
    {
        var assembly = value.GetType().Assembly.GetName().Name;
        return assembly == FillSource.AssemblyName || assembly == typeof(Enumerable).Assembly.GetName().Name;
    }

    private static Delegate? WrapDelegate(Delegate function, TimeSpan? limit)
    {
        var type = function.GetType();
        var invoke = type.GetMethod("Invoke");
        if (invoke is null || invoke.GetParameters().Any(p => p.ParameterType.IsByRef || p.ParameterType.IsByRefLike) || invoke.ReturnType.IsByRefLike)
        {
            return null;
        }

        try
        {
            var parameters = invoke.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
            Expression inner = Expression.Invoke(Expression.Constant(function, type), parameters);
            var limitConstant = Expression.Constant(limit, typeof(TimeSpan?));
            Expression body = invoke.ReturnType == typeof(void)
                ? Expression.Call(s_callVoid, limitConstant, Expression.Lambda<Action>(inner))
                : Expression.Call(s_call.MakeGenericMethod(invoke.ReturnType), limitConstant, Expression.Lambda(typeof(Func<>).MakeGenericType(invoke.ReturnType), inner));
            return Expression.Lambda(type, body, parameters).Compile();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }
}

/// <summary>
/// A lazy sequence of fill code whose enumerations each run under a budget of <see cref="HoleOptions.Timeout"/> (or the
/// running fill's, when enumerated inside a later fill), so an endless sequence cannot keep the program busy forever.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class BudgetedEnumerable<T>(IEnumerable<T> inner, TimeSpan? limit) : IEnumerable<T>
{
    public IEnumerator<T> GetEnumerator()
    {
        var budget = RunBudget.ForCall(limit);
        return new Enumerator(FillBudget.Step(budget, inner.GetEnumerator), budget);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class Enumerator(IEnumerator<T> inner, RunBudget budget) : IEnumerator<T>
    {
        public T Current => inner.Current;

        object? IEnumerator.Current => inner.Current;

        public bool MoveNext() => FillBudget.Step(budget, inner.MoveNext);

        public void Reset() => FillBudget.Step<object?>(budget, () =>
        {
            inner.Reset();
            return null;
        });

        public void Dispose()
        {
            // Disposing runs the sequence's finally blocks: under the budget, but never refused for having run out of it.
            using (FillBudget.Use(FillBudget.Current ?? RunBudget.ForCall(limit: null)))
            {
                inner.Dispose();
            }
        }
    }
}

/// <summary>An async sequence of fill code whose enumerations each run under a budget, as <see cref="BudgetedEnumerable{T}"/>.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class BudgetedAsyncEnumerable<T>(IAsyncEnumerable<T> inner, TimeSpan? limit) : IAsyncEnumerable<T>
{
    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        var budget = new RunBudget(limit, cancellationToken);
        return new Enumerator(FillBudget.Step(budget, () => inner.GetAsyncEnumerator(cancellationToken)), budget);
    }

    private sealed class Enumerator(IAsyncEnumerator<T> inner, RunBudget budget) : IAsyncEnumerator<T>
    {
        public T Current => inner.Current;

        public ValueTask<bool> MoveNextAsync() => FillBudget.Step(budget, inner.MoveNextAsync);

        public async ValueTask DisposeAsync()
        {
            using (FillBudget.Use(FillBudget.Current ?? RunBudget.ForCall(limit: null)))
            {
                await inner.DisposeAsync().ConfigureAwait(false);
            }

            budget.Dispose();
        }
    }
}
