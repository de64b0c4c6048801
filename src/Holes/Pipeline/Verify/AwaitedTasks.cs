using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Holes.Pipeline.Verify;

/// <summary>
/// Whether a task a fill creates is awaited before the fill returns: awaited directly, through <c>ConfigureAwait</c>,
/// <c>Unwrap</c> or a chained <c>ContinueWith</c>, as an element or argument of an awaited <c>Task.WhenAll</c> /
/// <c>Task.WhenAny</c>, or kept in a local (or an array in a local) that is itself awaited that way.
/// </summary>
/// <remarks>
/// Deliberately syntactic in spirit: it follows the operation tree up from the task and never guesses about flows it
/// cannot see (a task stored in a field, a list, or returned), which stay denied.
/// </remarks>
internal static class AwaitedTasks
{
    public static bool IsAwaited(IOperation task) => IsAwaited(task, depth: 0);

    private static bool IsAwaited(IOperation task, int depth)
    {
        if (depth > 8)
        {
            return false;
        }

        var current = task;
        while (true)
        {
            var parent = current.Parent;
            switch (parent)
            {
                case IAwaitOperation:
                    return true;
                case IConversionOperation or IParenthesizedOperation or IArrayInitializerOperation or IArrayCreationOperation or ICollectionExpressionOperation:
                    current = parent;
                    continue;
                case IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "WhenAll" or "WhenAny", IsStatic: true } } combinator }
                    when IsTaskType(combinator.TargetMethod.ContainingType):
                    current = combinator;
                    continue;
                case IInvocationOperation { TargetMethod.Name: "ConfigureAwait" or "Unwrap" or "ContinueWith" } chained when chained.Instance == current:
                    current = chained;
                    continue;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: var local } }:
                    return LocalIsAwaited(parent, local, depth);
                default:
                    return false;
            }
        }
    }

    private static bool LocalIsAwaited(IOperation from, ILocalSymbol local, int depth)
    {
        var root = from;
        while (root.Parent is { } up)
        {
            root = up;
        }

        foreach (var reference in root.Descendants())
        {
            if (reference is ILocalReferenceOperation { IsDeclaration: false } use && SymbolEqualityComparer.Default.Equals(use.Local, local) &&
                IsAwaited(use, depth + 1))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsTaskType(INamedTypeSymbol type) =>
        type is { Name: "Task", ContainingNamespace: { Name: "Tasks", ContainingNamespace.Name: "Threading" } };
}
