using System.Linq.Expressions;
using System.Reflection;

namespace Holes.Execution.Protocol;

/// <summary>
/// Builds the stand-ins for things that live on the other side of the boundary: a delegate of any type whose calls go
/// across, and the task shapes (<see cref="Task"/>, <see cref="Task{TResult}"/>, <see cref="ValueTask{TResult}"/>)
/// such a call returns.
/// </summary>
internal static class CallShapes
{
    private static readonly MethodInfo s_invoke = typeof(Func<object?[], object?>).GetMethod(nameof(Func<object?[], object?>.Invoke))!;
    private static readonly MethodInfo s_typedTask = typeof(CallShapes).GetMethod(nameof(TypedTask), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo s_typedValueTask = typeof(CallShapes).GetMethod(nameof(TypedValueTask), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Why a delegate type cannot be proxied, or null when it can.</summary>
    public static string? Unsupported(Type delegateType)
    {
        var invoke = delegateType.GetMethod("Invoke");
        if (invoke is null)
        {
            return "it has no Invoke method";
        }

        return invoke.GetParameters().Any(p => p.ParameterType.IsByRef || p.ParameterType.IsByRefLike) || invoke.ReturnType.IsByRef || invoke.ReturnType.IsByRefLike
            ? "it has ref, out or span parameters"
            : null;
    }

    /// <summary>A delegate of <paramref name="delegateType"/> that hands its arguments to <paramref name="call"/> and returns what it returns.</summary>
    public static Delegate Delegate(Type delegateType, Func<object?[], object?> call)
    {
        var invoke = delegateType.GetMethod("Invoke")!;
        var parameters = invoke.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
        Expression body = Expression.Call(
            Expression.Constant(call),
            s_invoke,
            Expression.NewArrayInit(typeof(object), parameters.Select(p => Expression.Convert(p, typeof(object)))));
        body = invoke.ReturnType == typeof(void) ? Expression.Block(typeof(void), body) : Expression.Convert(body, invoke.ReturnType);
        return Expression.Lambda(delegateType, body, parameters).Compile();
    }

    /// <summary>The type a call's value has once awaited: T for Task&lt;T&gt; and ValueTask&lt;T&gt;, void for Task, else the type itself.</summary>
    public static Type Awaited(Type returnType)
    {
        if (returnType == typeof(Task) || returnType == typeof(ValueTask))
        {
            return typeof(void);
        }

        if (returnType.IsGenericType && (returnType.GetGenericTypeDefinition() == typeof(Task<>) || returnType.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            return returnType.GetGenericArguments()[0];
        }

        return returnType;
    }

    /// <summary>Whether <paramref name="returnType"/> is a task shape whose value arrives later.</summary>
    public static bool IsAsync(Type returnType) => Awaited(returnType) != returnType;

    /// <summary>Turns a call in flight into the shape <paramref name="returnType"/> asks for (blocking for a synchronous one).</summary>
    public static object? Shape(Type returnType, Task<object?> call)
    {
        if (returnType == typeof(void))
        {
            call.GetAwaiter().GetResult();
            return null;
        }

        if (returnType == typeof(Task))
        {
            return call;
        }

        if (returnType == typeof(ValueTask))
        {
            return new ValueTask(call);
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return s_typedTask.MakeGenericMethod(returnType.GetGenericArguments()[0]).Invoke(null, [call]);
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            return s_typedValueTask.MakeGenericMethod(returnType.GetGenericArguments()[0]).Invoke(null, [call]);
        }

        return call.GetAwaiter().GetResult();
    }

    /// <summary>Awaits whatever a real call returned (a task shape or a plain value) and gives its value.</summary>
    public static async Task<object?> AwaitAsync(object? returned)
    {
        switch (returned)
        {
            case Task task:
                await task.ConfigureAwait(false);
                var type = task.GetType();
                return type.IsGenericType && type.GetProperty("Result") is { } result && result.PropertyType.Name != "VoidTaskResult" ? result.GetValue(task) : null;
            case ValueTask valueTask:
                await valueTask.ConfigureAwait(false);
                return null;
            case { } value when value.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(ValueTask<>):
                var asTask = (Task)t.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(value, null)!;
                return await AwaitAsync(asTask).ConfigureAwait(false);
            default:
                return returned;
        }
    }

    private static async Task<T> TypedTask<T>(Task<object?> call) => (T)(await call.ConfigureAwait(false))!;

    private static ValueTask<T> TypedValueTask<T>(Task<object?> call) => new(TypedTask<T>(call));
}
