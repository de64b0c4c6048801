using Mono.Cecil;

namespace Holes.Effects;

/// <summary>
/// Calls the compiler emits to lower a construct whose source the analysis does not judge as a call: <c>await</c>
/// (builders, awaiters), iterators, <c>typeof</c>, array and collection initializers, switch expressions. The source
/// analysis saw an <c>await</c>, a <c>typeof</c> or a collection expression, never these members, so the IL analysis
/// passes over them too.
/// </summary>
internal static class Plumbing
{
    private static readonly HashSet<string> s_compilerServicesTypes = new(StringComparer.Ordinal)
    {
        "AsyncTaskMethodBuilder", "AsyncTaskMethodBuilder`1", "AsyncValueTaskMethodBuilder", "AsyncValueTaskMethodBuilder`1",
        "AsyncVoidMethodBuilder", "AsyncIteratorMethodBuilder", "PoolingAsyncValueTaskMethodBuilder", "PoolingAsyncValueTaskMethodBuilder`1",
        "IAsyncStateMachine", "INotifyCompletion", "ICriticalNotifyCompletion", "TaskAwaiter", "TaskAwaiter`1", "ValueTaskAwaiter",
        "ValueTaskAwaiter`1", "ConfiguredTaskAwaitable", "ConfiguredTaskAwaitable`1", "ConfiguredValueTaskAwaitable",
        "ConfiguredValueTaskAwaitable`1", "YieldAwaitable", "SwitchExpressionException", "IsExternalInit", "RuntimeFeature",
    };

    private static readonly HashSet<string> s_runtimeHelpers = new(StringComparer.Ordinal)
    {
        "InitializeArray", "CreateSpan", "GetSubArray", "IsReferenceOrContainsReferences", "EnsureSufficientExecutionStack",
    };

    // What a state machine's MoveNext calls on the awaited value: the awaiter pattern of an 'await'.
    private static readonly HashSet<string> s_awaiterMembers = new(StringComparer.Ordinal)
    {
        "GetAwaiter", "get_IsCompleted", "GetResult", "OnCompleted", "UnsafeOnCompleted",
    };

    /// <summary>Whether a call is the compiler's lowering rather than a call the program's source makes.</summary>
    /// <param name="target">The method called.</param>
    /// <param name="inGeneratedType">The caller is a method of a type the compiler added (a state machine's MoveNext, a display class).</param>
    public static bool IsLowering(MethodReference target, bool inGeneratedType)
    {
        var type = target.DeclaringType?.GetElementType();
        if (type is null)
        {
            return false;
        }

        var ns = Namespace(type);
        switch (ns)
        {
            case "System.Runtime.CompilerServices" when s_compilerServicesTypes.Contains(type.Name):
            case "System.Runtime.CompilerServices" when type.Name == "RuntimeHelpers" && s_runtimeHelpers.Contains(target.Name):
            case "System" when type.Name == "Type" && target.Name == "GetTypeFromHandle":
            case "System.Runtime.InteropServices" when type.Name == "CollectionsMarshal" && target.Name is "SetCount" or "AsSpan":
                return true;
        }

        if (!inGeneratedType)
        {
            return false;
        }

        // State machines: the awaiter pattern, an async iterator's promise, the thread check of an iterator's GetEnumerator.
        return s_awaiterMembers.Contains(target.Name) ||
               (ns == "System.Threading.Tasks.Sources" && type.Name == "ManualResetValueTaskSourceCore`1") ||
               (ns == "System" && type.Name == "Environment" && target.Name == "get_CurrentManagedThreadId") ||
               (ns == "System.Threading" && type.Name == "Interlocked");
    }

    private static string Namespace(TypeReference type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type.Namespace;
    }
}
